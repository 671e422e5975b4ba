/**
 * The rollback commands: triage, a level's choices, the start and each answer of its walk.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';

/** The `rollback:*` commands over the open platform's rollback service. */
export function createRollbackHandlers(context: CockpitContext): HandlersOf<'rollback'> {
  const requireRollbacks = () => context.whenLoaded(context.services.rollbacks);
  return {
    'rollback:triage': ({ service, environment, symptom }) => requireRollbacks().triage(service, environment, symptom),
    'rollback:choices': ({ service, environment, level }) => requireRollbacks().choices(service, environment, level),
    'rollback:start': async (request) => {
      // A rollback never waits for the team: it starts, and its records are shared after.
      const started = await requireRollbacks().start(request);
      void context.syncTeam();
      return started;
    },
    'rollback:decide': ({ rollbackId, decision }) => requireRollbacks().decide(rollbackId, decision),
  };
}
