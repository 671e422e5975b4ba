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
  checkDeployAllowed,
  type HotfixCategory,
  type HotfixException,
} from './deploy-permission';
import { windowState } from './deployment-window';
import { requirePermission, rosterMatch, type Identity } from './roles';

export { currentOsUser } from './roles';

export interface PolicyServiceOptions {
  platform: Platform;
  audit: AuditTrail;
  identity: Identity;
  clock: () => Date;
}

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

  /** Throws FORBIDDEN or WINDOW_CLOSED (and records the refusal) unless the deploy may go. */
  async authorizeDeploy(environment: string): Promise<void> {
    const { platform, clock, identity, audit } = this.options;
    try {
      const allowed = checkDeployAllowed({
        platform,
        environment,
        identity,
        records: await audit.ledger.readAll(),
        now: clock(),
      });
      if (allowed.exception)
        await audit.record([
          {
            action: 'gate.verdict',
            status: 'info',
            environment,
            summary: `Deploy to ${environment} outside its window under the hotfix exception approved by ${allowed.exception.approvedBy} (${allowed.exception.reason}).`,
          },
        ]);
    } catch (error) {
      if (error instanceof CockpitError)
        await audit.record([
          { action: 'gate.verdict', status: 'failed', environment, summary: `Deploy refused: ${error.message}` },
        ]);
      throw error;
    }
  }

  private requireEnvironment(environment: string) {
    const target = this.options.platform.environments.find((candidate) => candidate.id === environment);
    if (!target)
      throw new CockpitError('NOT_FOUND', `"${environment}" is not an environment of ${this.options.platform.name}.`);
    return target;
  }
}
