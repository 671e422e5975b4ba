/**
 * One deploy per environment across the team's laptops: the run's team lock, taken before
 * anything runs, and what happens when the mirror cannot be reached.
 */
import { CockpitError } from '../errors';
import type { PlatformEnvironment } from '../platform/schema';
import type { HeldTeamLock } from '../team/team-lock';
import type { DeployServiceOptions } from './deploy-service';

/** How often a run renews its team lock (its lease is `policy.teamLockLeaseSeconds`). */
export const teamLockRenewMs = 30_000;

/**
 * Takes the team's lock of the environment for a run, before anything runs: refused (LOCKED,
 * naming the holder) while another laptop deploys there. A mirror out of reach refuses a protected
 * deploy unless a person gives a reason to go without the team lock (a signed record); an
 * unprotected one goes on, recorded.
 */
export async function takeRunTeamLock(
  options: Pick<DeployServiceOptions, 'teamLocks' | 'holder' | 'audit'>,
  environment: PlatformEnvironment,
  runId: string,
  withoutTeamLock?: string,
): Promise<HeldTeamLock | undefined> {
  const { teamLocks, holder, audit } = options;
  if (!teamLocks) return undefined;
  const { actor } = audit.ledger;
  const who = holder ?? { name: actor.name, ...(actor.email ? { email: actor.email } : {}) };
  try {
    const held = await teamLocks.take(environment.id, who, runId);
    if (held.tookOverFrom)
      await audit.record([
        {
          action: 'lock.taken-over',
          status: 'info',
          correlationId: runId,
          environment: environment.id,
          summary: `Took over the team lock of ${environment.name} from ${held.tookOverFrom.holder.name} (run ${held.tookOverFrom.runId}, lease ended ${held.tookOverFrom.leaseUntil})`,
          details: { previous: held.tookOverFrom },
        },
      ]);
    return held;
  } catch (error) {
    if (!(error instanceof CockpitError) || error.code !== 'TEAM_OFFLINE') throw error;
    const reason = withoutTeamLock?.trim();
    if (environment.protected && !reason)
      throw new CockpitError(
        'TEAM_OFFLINE',
        `${error.message} ${environment.name} is protected: nothing was started. Deploy when the mirror answers, or go without the team lock with a reason (--without-team-lock "<reason>" or in the review); it is recorded and shared later.`,
        error.details,
      );
    await audit.record([
      {
        action: 'override',
        status: 'info',
        correlationId: runId,
        environment: environment.id,
        summary: `Deploy to ${environment.name} without the team lock (${error.message})${reason ? `: ${reason}` : ''}`,
        details: { kind: 'without-team-lock', reason: reason ?? 'the mirror could not be reached', runId },
      },
    ]);
    return undefined;
  }
}
