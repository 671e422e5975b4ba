/**
 * Policy from the app: the deployment window of an environment (with a hotfix exception in
 * force), who the current user is in the roster, approving a hotfix exception (recorded in the
 * ledger with who and why), and the check every deploy to a protected environment goes through
 * (refusals recorded too).
 */
import type { WindowState } from '../../../shared/contract';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import { checkAuthorityRecords, contentHash, personNamed } from '../identity/authority';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Permission, Platform } from '../platform/schema';
import {
  approvalsOf,
  checkExceptionRequest,
  fourEyesApplies,
  refuseOwnRequest,
  overrideHours,
  refuseWithoutFourEyes,
  type Approval,
} from './approvals';
import {
  activeHotfixException,
  activeOverrides,
  assessment,
  type DeployAssessment,
  checkDeployAllowed,
  exceptionAllows,
  exceptionScope,
  type HotfixCategory,
  type HotfixException,
} from './deploy-permission';
import { windowState } from './deployment-window';
import type { GateResult } from './gates';
import { releaseCalendar } from './release-calendar';
import type { SignoffBook } from './signoffs';
import { requirePermission, rolesWith, rosterMatch, type Identity } from './roles';

export { currentOsUser } from './roles';
export type { DeployAssessment } from './deploy-permission';

export interface PolicyServiceOptions {
  platform: Platform;
  audit: AuditTrail;
  identity: Identity;
  clock: () => Date;
  /** The staging acceptance checklist; its gate joins the others for protected environments. */
  signoffs?: SignoffBook;
  /** Evaluates the gates of a deploy (environment, service → version); none when absent. */
  evaluateGates?: (environment: string, versions: Record<string, string>) => Promise<GateResult[]>;
}

export class PolicyService {
  constructor(private readonly options: PolicyServiceOptions) {}

  async window(environment: string): Promise<WindowState & { hotfixException?: HotfixException; fourEyes: boolean }> {
    const { platform, clock } = this.options;
    this.requireEnvironment(environment);
    const now = clock();
    const exception = activeHotfixException(await this.approvalsAt(now), environment);
    return {
      ...windowState(platform, environment, now),
      ...(exception ? { hotfixException: exception } : {}),
      fourEyes: fourEyesApplies(platform, environment),
    };
  }

  /** Every exception and override request (and direct approval), newest first. */
  async approvals(): Promise<Approval[]> {
    return this.approvalsAt(this.options.clock());
  }

  private async approvalsAt(now: Date, records?: LedgerRecord[]): Promise<Approval[]> {
    const { platform } = this.options;
    const all = records ?? (await this.options.audit.ledger.readAll());
    return approvalsOf(all, checkAuthorityRecords(all, platform), platform, now);
  }

  /**
   * Asks for a hotfix exception: once another person with the hotfix-exception role approves it
   * (four eyes) it opens the environment outside its windows for its services (and versions).
   */
  async requestException(
    environment: string,
    request: {
      category: HotfixCategory;
      services: string[];
      versions?: Record<string, string>;
      reason: string;
      hours?: number;
    },
  ): Promise<Approval> {
    const { platform } = this.options;
    const target = this.requireEnvironment(environment);
    this.requireAnyPermission(
      ['production-deploy', 'hotfix-exception'],
      `Asking for a hotfix exception for ${target.name}`,
    );
    const { services, hours } = checkExceptionRequest(platform, request);
    return this.recordRequest({
      environment,
      services,
      summary: `Hotfix exception requested for ${target.name} (${request.category}, ${services.join(', ')}): ${request.reason}`,
      details: {
        kind: 'hotfix-exception',
        category: request.category,
        reason: request.reason,
        hours,
        ...(request.versions && Object.keys(request.versions).length > 0 ? { versions: request.versions } : {}),
      },
    });
  }

  /** Asks for blocking gates of an environment to pass for an hour once another person approves. */
  async requestOverride(environment: string, gates: string[], reason: string): Promise<Approval> {
    const target = this.requireEnvironment(environment);
    this.requireAnyPermission(['production-deploy', 'gate-override'], `Asking to override a gate of ${target.name}`);
    return this.recordRequest({
      environment,
      summary: `Override of ${gates.join(', ')} requested for ${target.name}: ${reason}`,
      details: { kind: 'gate-override', gates: [...new Set(gates)], reason },
    });
  }

  private async recordRequest(request: {
    environment: string;
    services?: string[];
    summary: string;
    details: Record<string, unknown>;
  }): Promise<Approval> {
    const now = this.options.clock();
    const pendingHours = this.options.platform.policy.releaseCalendar.hotfixMaxHours;
    const [record] = await this.options.audit.record([
      {
        action: 'approval.requested',
        status: 'info',
        environment: request.environment,
        ...(request.services ? { services: request.services } : {}),
        summary: request.summary,
        details: { ...request.details, expiresAt: new Date(now.getTime() + pendingHours * 3_600_000).toISOString() },
      },
    ]);
    return this.approvalById(record!.id);
  }

  private async approvalById(id: string): Promise<Approval> {
    const approval = (await this.approvals()).find((candidate) => candidate.id === id);
    if (!approval) throw new CockpitError('NOT_FOUND', `There is no approval request ${id}.`);
    return approval;
  }

  /**
   * Approves or rejects a request, as a person with its permission — not its requester where
   * four eyes applies. The decision names the request's content hash.
   */
  async decide(id: string, decision: 'approved' | 'rejected', reason?: string): Promise<Approval> {
    const { platform, identity, clock } = this.options;
    const records = await this.options.audit.ledger.readAll();
    const approval = (await this.approvalsAt(clock(), records)).find((candidate) => candidate.id === id);
    const request = records.find((record) => record.id === id && record.action === 'approval.requested');
    if (!approval || !request)
      throw new CockpitError('NOT_FOUND', `There is no approval request ${id}: see \`cockpit approvals\`.`);
    if (approval.status !== 'pending')
      throw new CockpitError(
        'BAD_INPUT',
        `Request ${id} is ${approval.status}${approval.decidedBy ? ` (by ${approval.decidedBy})` : ''}: nothing to decide.`,
      );
    if (!approval.verified)
      throw new CockpitError(
        'FORBIDDEN',
        `Request ${id} does not verify (${approval.requestedBy}'s signature or role): it cannot be approved. Check it with \`cockpit ledger verify\`.`,
      );
    const permission: Permission = approval.kind === 'hotfix-exception' ? 'hotfix-exception' : 'gate-override';
    const what = approval.kind === 'hotfix-exception' ? 'a hotfix exception' : 'a gate override';
    const match = requirePermission(
      platform,
      identity,
      permission,
      `${decision === 'approved' ? 'Approving' : 'Rejecting'} ${what}`,
    );
    if (decision === 'approved')
      refuseOwnRequest(
        platform,
        personNamed(platform, request.actor),
        match.person,
        permission,
        what,
        approval.environment,
      );
    if (decision === 'rejected' && !reason?.trim())
      throw new CockpitError('BAD_INPUT', 'Say why the request is rejected (--reason).');
    const now = clock();
    const hours =
      approval.kind === 'hotfix-exception'
        ? Number(request.details?.hours) || platform.policy.releaseCalendar.hotfixMaxHours
        : overrideHours;
    const target = this.requireEnvironment(approval.environment);
    await this.options.audit.record([
      {
        action: 'approval',
        status: decision === 'approved' ? 'succeeded' : 'failed',
        environment: approval.environment,
        ...(approval.services.length > 0 ? { services: approval.services } : {}),
        summary: `${decision === 'approved' ? 'Approved' : 'Rejected'} ${what} for ${target.name} requested by ${approval.requestedBy}${reason?.trim() ? `: ${reason.trim()}` : ''}`,
        details: {
          requestId: id,
          requestHash: contentHash(request),
          requestKind: approval.kind,
          decision,
          ...(reason?.trim() ? { reason: reason.trim() } : {}),
          ...(decision === 'approved' ? { expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString() } : {}),
        },
      },
    ]);
    return this.approvalById(id);
  }

  private requireAnyPermission(anyOf: Permission[], action: string) {
    const { platform, identity } = this.options;
    const match = rosterMatch(platform, identity);
    if (anyOf.some((permission) => match.permissions.has(permission))) return match;
    return requirePermission(platform, identity, anyOf[0]!, action);
  }

  identity() {
    const match = rosterMatch(this.options.platform, this.options.identity);
    return {
      name: match.person?.name ?? this.options.identity.name,
      isInRoster: match.person !== undefined,
      roles: match.roles,
      permissions: [...match.permissions],
    };
  }

  /** Opens a protected environment outside its windows for the platform's hotfix hours. */
  async approveHotfix(environment: string, category: HotfixCategory, reason: string): Promise<HotfixException> {
    const { platform, clock, identity } = this.options;
    const target = this.requireEnvironment(environment);
    refuseWithoutFourEyes(
      this.options.platform,
      environment,
      'a hotfix exception',
      `cockpit exception request ${environment} --category ${category} --services … --reason "…"`,
    );
    requirePermission(platform, identity, 'hotfix-exception', `Approving a hotfix exception for ${target.name}`);
    const approvedAt = clock();
    const hours = platform.policy.releaseCalendar.hotfixMaxHours;
    const expiresAt = new Date(approvedAt.getTime() + hours * 3_600_000).toISOString();
    const [record] = await this.options.audit.record([
      {
        action: 'approval',
        status: 'succeeded',
        environment,
        summary: `Hotfix exception for ${target.name} (${category}): ${reason}`,
        details: { kind: 'hotfix-exception', category, reason, expiresAt },
      },
    ]);
    return {
      approvedBy: record!.actor.name,
      category,
      reason,
      approvedAt: record!.time,
      expiresAt,
      isIndependent: false,
    };
  }

  /**
   * Throws FORBIDDEN, WINDOW_CLOSED or GATE_BLOCKED (and records why) unless a deploy of
   * `versions` to the environment may go now. Gates are evaluated for protected environments;
   * a blocking gate passes only under an override in force.
   */
  async authorizeDeploy(environment: string, versions: Record<string, string> = {}): Promise<GateResult[]> {
    const { platform, clock, identity, audit } = this.options;
    try {
      const now = clock();
      const approvals = await this.approvalsAt(now);
      const allowed = checkDeployAllowed({ platform, environment, identity, approvals, now, versions });
      if (allowed.exception)
        await audit.record([
          {
            action: 'gate.verdict',
            status: 'info',
            environment,
            summary: `Deploy to ${environment} outside its window under the hotfix exception ${exceptionScope(allowed.exception)} approved by ${allowed.exception.approvedBy}${allowed.exception.isIndependent ? '' : ' (not independent)'} (${allowed.exception.reason}).`,
          },
        ]);
      const isProtected = platform.environments.find((candidate) => candidate.id === environment)?.protected;
      if (!isProtected) return [];
      const gates = [
        ...((await this.options.evaluateGates?.(environment, versions)) ?? []),
        ...(this.options.signoffs ? [await this.signoffGate(allowed.exception)] : []),
      ];
      const overrides = activeOverrides(approvals, environment);
      const blocking = gates.filter((gate) => gate.verdict === 'block' && !overrides.has(gate.id));
      await audit.record([
        {
          action: 'gate.verdict',
          status: blocking.length > 0 ? 'failed' : 'succeeded',
          environment,
          services: Object.keys(versions),
          summary: `Gates for ${environment}: ${gates.map((gate) => `${gate.id} ${overrides.has(gate.id) && gate.verdict === 'block' ? 'block (overridden)' : gate.verdict}`).join(', ')}`,
          details: { gates },
        },
      ]);
      if (blocking.length > 0)
        throw new CockpitError(
          'GATE_BLOCKED',
          `Deploy to ${environment} stopped by ${blocking.length === 1 ? 'a gate' : `${blocking.length} gates`}: ${blocking
            .map((gate) => `${gate.title} — ${gate.evidence}`)
            .join(
              '; ',
            )}. Fix it, or a ${rolesWith(platform, 'gate-override').join(' or ')} may override with a reason.`,
          { gates: blocking.map((gate) => gate.id) },
        );
      return gates;
    } catch (error) {
      if (error instanceof CockpitError && error.code !== 'GATE_BLOCKED')
        await audit.record([
          { action: 'gate.verdict', status: 'failed', environment, summary: `Deploy refused: ${error.message}` },
        ]);
      throw error;
    }
  }

  /**
   * What a deploy of `versions` to the environment would meet now — every gate (the sign-off gate
   * too, for a protected environment) and the window, with a hotfix exception in force — without
   * recording anything: what a plan shows before anyone decides.
   */
  async assess(environment: string, versions: Record<string, string>): Promise<DeployAssessment> {
    const { platform, clock } = this.options;
    const target = this.requireEnvironment(environment);
    const now = clock();
    const approvals = await this.approvalsAt(now);
    const found = activeHotfixException(approvals, environment, versions);
    const exception = found && exceptionAllows(found, versions) ? found : undefined;
    const window = windowState(platform, environment, now);
    const gates = [
      ...((await this.options.evaluateGates?.(environment, versions)) ?? []),
      ...(target.protected && this.options.signoffs ? [await this.signoffGate(exception)] : []),
    ];
    return assessment(gates, activeOverrides(approvals, environment), window, exception, found);
  }

  /** The release train the staging sign-offs belong to: the next production release date. */
  signoffRelease(): string {
    return releaseCalendar(this.options.platform, this.options.clock()).nextProductionRelease;
  }

  /**
   * The sign-off gate; a hotfix skips staging acceptance, so under an exception covering the
   * deploy it only warns.
   */
  private async signoffGate(exception: HotfixException | undefined): Promise<GateResult> {
    const gate = await this.options.signoffs!.gate(this.signoffRelease());
    return exception && gate.verdict === 'block'
      ? {
          ...gate,
          verdict: 'warn',
          evidence: `${gate.evidence} (hotfix exception ${exceptionScope(exception)}: acceptance after the fix)`,
        }
      : gate;
  }

  /** Lets blocking gates pass for an hour, recorded with who and why. */
  async overrideGates(
    environment: string,
    gates: string[],
    reason: string,
  ): Promise<{ approvedBy: string; expiresAt: string }> {
    const { platform, clock, identity } = this.options;
    const target = this.requireEnvironment(environment);
    refuseWithoutFourEyes(
      this.options.platform,
      environment,
      'a gate override',
      `cockpit override request ${environment} --gates ${gates.join(',')} --reason "…"`,
    );
    requirePermission(platform, identity, 'gate-override', `Overriding a gate for ${target.name}`);
    const expiresAt = new Date(clock().getTime() + overrideHours * 3_600_000).toISOString();
    const [record] = await this.options.audit.record([
      {
        action: 'override',
        status: 'succeeded',
        environment,
        summary: `Override of ${gates.join(', ')} for ${target.name}: ${reason}`,
        details: { gates, reason, expiresAt },
      },
    ]);
    return { approvedBy: record!.actor.name, expiresAt };
  }

  private requireEnvironment(environment: string) {
    const target = this.options.platform.environments.find((candidate) => candidate.id === environment);
    if (!target)
      throw new CockpitError('NOT_FOUND', `"${environment}" is not an environment of ${this.options.platform.name}.`);
    return target;
  }
}
