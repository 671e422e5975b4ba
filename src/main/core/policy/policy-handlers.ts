/**
 * The policy commands: windows and hotfix approvals, gate overrides, four-eyes requests and
 * decisions (shared with the team as soon as they are recorded), sign-offs, secret rotation and
 * the watches after a deploy.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';

/** The `policy:*`, `approvals:*`, `signoff:*`, `rotation:*` and `watch:*` commands. */
export function createPolicyHandlers(
  context: CockpitContext,
): HandlersOf<'policy' | 'approvals' | 'signoff' | 'rotation' | 'watch'> {
  const { services, whenLoaded, syncTeam, shared } = context;
  const requirePolicy = () => whenLoaded(services.policy);
  const requireSignoffs = () => whenLoaded(services.signoffs);
  const requireRotations = () => whenLoaded(services.rotations);
  return {
    'policy:window': ({ environment }) => requirePolicy().window(environment),
    'policy:identity': () => whenLoaded(services.identityView)(),
    'policy:override': ({ environment, gates, reason }) => requirePolicy().overrideGates(environment, gates, reason),
    'policy:approve-hotfix': ({ environment, category, reason }) =>
      requirePolicy().approveHotfix(environment, category, reason),
    'approvals:list': async () => ({ approvals: await requirePolicy().approvals() }),
    // Requests and decisions are shared with the team as soon as they are recorded.
    'approvals:request-exception': async ({ environment, ...request }) =>
      shared(await requirePolicy().requestException(environment, request)),
    'approvals:request-override': async ({ environment, gates, reason }) =>
      shared(await requirePolicy().requestOverride(environment, gates, reason)),
    'approvals:decide': async ({ id, decision, reason }) => {
      await syncTeam();
      return shared(await requirePolicy().decide(id, decision, reason));
    },
    'signoff:checklist': ({ release }) => requireSignoffs().checklist(release ?? requirePolicy().signoffRelease()),
    'signoff:sign': ({ release, item, note }) =>
      requireSignoffs().sign(release ?? requirePolicy().signoffRelease(), item, note),
    'signoff:revoke': ({ release, item, reason }) =>
      requireSignoffs().revoke(release ?? requirePolicy().signoffRelease(), item, reason),
    'rotation:list': async () => ({ secrets: await requireRotations().list() }),
    'rotation:check': async ({ secretId, step, note }) => ({
      secrets: await requireRotations().check(secretId, step, note),
    }),
    'watch:list': async () => ({ watches: services.watches ? await services.watches.list() : [] }),
  };
}
