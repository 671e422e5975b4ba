/**
 * The deploy commands: plan, start (after fetching the team's holds, approvals and sign-offs for
 * a protected environment), follow, resume or abandon, promote, history and version marks.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';

/** The `deploy:*` commands over the open platform's deploy service. */
export function createDeployHandlers(context: CockpitContext): HandlersOf<'deploy'> {
  const { services, requireDeploys, isProtectedEnvironment, syncTeam } = context;
  return {
    'deploy:plan': (input) => requireDeploys().plan(input),
    'deploy:start': async (input) => {
      // Before a protected deploy the team's holds, approvals and sign-offs are fetched first.
      const environment = await requireDeploys().planEnvironment(input.planId);
      if (environment && isProtectedEnvironment(environment)) await syncTeam();
      const started = await requireDeploys().start(input);
      if (environment && isProtectedEnvironment(environment)) void syncTeam();
      return started;
    },
    'deploy:log-ack': ({ runId, characters }) => {
      services.deploys?.acknowledge(runId, characters);
      return {};
    },
    'deploy:runs': () => (services.deploys ? services.deploys.runs() : { running: [], interrupted: [] }),
    'deploy:resume': ({ runId, allowDowngrade }) => requireDeploys().resume(runId, allowDowngrade),
    'deploy:history': ({ environment }) => requireDeploys().history(environment),
    'deploy:read-log': ({ runId }) => requireDeploys().readLog(runId),
    'deploy:mark': (input) => requireDeploys().mark(input),
    'deploy:abandon': async ({ runId }) => {
      await requireDeploys().abandon(runId);
      return {};
    },
    'deploy:promotion': () => requireDeploys().promotion(),
    'deploy:promote': (input) => requireDeploys().promote(input),
    'deploy:cancel': ({ runId }) => {
      requireDeploys().cancel(runId);
      return {};
    },
  };
}
