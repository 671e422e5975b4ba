/**
 * Policy from the app: the deployment window of an environment (with a hotfix exception in
 * force), who the current user is in the roster, approving a hotfix exception (recorded in the
 * ledger with who and why), and the check every deploy to a protected environment goes through
 * (refusals recorded too).
 */
import type { WindowState } from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import {
  activeHotfixException,
  activeOverrides,
  checkDeployAllowed,
  type HotfixCategory,
  type HotfixException,
} from './deploy-permission';
import { windowState } from './deployment-window';
import type { GateResult } from './gates';
import { releaseCalendar } from './release-calendar';
import type { SignoffBook } from './signoffs';
import { requirePermission, rolesWith, rosterMatch, type Identity } from './roles';

export { currentOsUser } from './roles';

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

/** The gates and the window a plan shows. */
export interface DeployAssessment {
  gates: GateResult[];
  window: { isOpen: boolean; reason: string; exception?: string; nextOpensAt?: string };
}

/** How long a gate override stays in force. */
const overrideHours = 1;

export class PolicyService {
  constructor(private readonly options: PolicyServiceOptions) {}

  async window(environment: string): Promise<WindowState & { hotfixException?: HotfixException }> {
    const { platform, clock } = this.options;
    this.requireEnvironment(environment);
    const now = clock();
    const exception = activeHotfixException(await this.options.audit.ledger.readAll(), environment, now);
    return { ...windowState(platform, environment, now), ...(exception ? { hotfixException: exception } : {}) };
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
    return { approvedBy: record!.actor.name, category, reason, approvedAt: record!.time, expiresAt };
  }

  /**
   * Throws FORBIDDEN, WINDOW_CLOSED or GATE_BLOCKED (and records why) unless a deploy of
   * `versions` to the environment may go now. Gates are evaluated for protected environments;
   * a blocking gate passes only under an override in force.
   */
  async authorizeDeploy(environment: string, versions: Record<string, string> = {}): Promise<GateResult[]> {
    const { platform, clock, identity, audit } = this.options;
    try {
      const records = await audit.ledger.readAll();
      const now = clock();
      const allowed = checkDeployAllowed({ platform, environment, identity, records, now });
      if (allowed.exception)
        await audit.record([
          {
            action: 'gate.verdict',
            status: 'info',
            environment,
            summary: `Deploy to ${environment} outside its window under the hotfix exception approved by ${allowed.exception.approvedBy} (${allowed.exception.reason}).`,
          },
        ]);
      const isProtected = platform.environments.find((candidate) => candidate.id === environment)?.protected;
      if (!isProtected) return [];
      const gates = [
        ...((await this.options.evaluateGates?.(environment, versions)) ?? []),
        ...(this.options.signoffs ? [await this.signoffGate(Boolean(allowed.exception))] : []),
      ];
      const overrides = activeOverrides(records, environment, now);
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
    const records = await this.options.audit.ledger.readAll();
    const exception = activeHotfixException(records, environment, now);
    const window = windowState(platform, environment, now);
    const gates = [
      ...((await this.options.evaluateGates?.(environment, versions)) ?? []),
      ...(target.protected && this.options.signoffs ? [await this.signoffGate(Boolean(exception))] : []),
    ];
    const overrides = activeOverrides(records, environment, now);
    return {
      gates: gates.map((gate) =>
        gate.verdict === 'block' && overrides.has(gate.id)
          ? { ...gate, evidence: `${gate.evidence} (overridden by ${overrides.get(gate.id)!.approvedBy})` }
          : gate,
      ),
      window: {
        isOpen: window.isOpen || exception !== undefined,
        reason: window.reason,
        ...(exception
          ? {
              exception: `open under a ${exception.category} hotfix exception approved by ${exception.approvedBy} until ${exception.expiresAt} (${exception.reason})`,
            }
          : {}),
        ...(window.nextOpensAt ? { nextOpensAt: window.nextOpensAt } : {}),
      },
    };
  }

  /** The release train the staging sign-offs belong to: the next production release date. */
  signoffRelease(): string {
    return releaseCalendar(this.options.platform, this.options.clock()).nextProductionRelease;
  }

  /** The sign-off gate; a hotfix skips staging acceptance, so under an exception it only warns. */
  private async signoffGate(isHotfix: boolean): Promise<GateResult> {
    const gate = await this.options.signoffs!.gate(this.signoffRelease());
    return isHotfix && gate.verdict === 'block'
      ? { ...gate, verdict: 'warn', evidence: `${gate.evidence} (hotfix exception: acceptance after the fix)` }
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
