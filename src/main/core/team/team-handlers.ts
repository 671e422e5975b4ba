/**
 * The team commands: the mirror's state and a sync now, the deploy locks across laptops and the
 * holds placed on an environment or a service.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import { deployLockView, type DeployLockInfo } from './team-lock';

/** The `team:*` commands over the team's mirror, locks and holds. */
export function createTeamHandlers(context: CockpitContext): HandlersOf<'team'> {
  const { services, syncTeam, isProtectedEnvironment } = context;
  const requireHolds = () => context.whenLoaded(services.holds);
  const teamLocksView = async () => {
    let locks: DeployLockInfo[] = [];
    let problem: string | undefined;
    try {
      locks = (await services.deployLocks?.list()) ?? [];
    } catch (error) {
      problem = (error as Error).message;
    }
    return {
      deployLocks: locks.map(deployLockView),
      holds: await requireHolds().list(),
      ...(problem ? { problem } : {}),
    };
  };
  return {
    'team:status': () => services.teamSync?.state() ?? { isConfigured: false, toShare: 0 },
    'team:locks': async () => teamLocksView(),
    'team:hold': async ({ environment, service, lift, reason }) => {
      const book = requireHolds();
      if (isProtectedEnvironment(environment)) await syncTeam();
      if (lift) await book.lift(environment, service, reason);
      else await book.place(environment, service, reason);
      void syncTeam();
      return teamLocksView();
    },
    'team:sync': async () => (await syncTeam()) ?? { isConfigured: false, toShare: 0 },
  };
}
