/**
 * The release commands: a service's next version and its notes, CI of a ref, its release
 * history, the platform's calendar and the cut itself.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import { CockpitError } from '../errors';
import { releaseCalendar } from '../policy/release-calendar';

/** The `release:*` commands over the open platform's release service. */
export function createReleaseHandlers(context: CockpitContext): HandlersOf<'release'> {
  const { requireReleases } = context;
  return {
    'release:plan': ({ service }) => requireReleases().plan(service),
    'release:preview': ({ service, bump }) => requireReleases().preview(service, bump),
    'release:cut': ({ service, bump, expectedVersion }) => requireReleases().cut(service, bump, expectedVersion),
    'release:ci': ({ service, ref }) => requireReleases().ci(service, ref),
    'release:history': ({ service, limit }) => requireReleases().history(service, limit),
    'release:calendar': () => {
      const { platform } = context.services;
      if (!platform) throw new CockpitError('NO_PLATFORM', 'No platform is loaded, so there is no release calendar.');
      return releaseCalendar(platform, context.clock());
    },
  };
}
