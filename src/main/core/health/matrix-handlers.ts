/**
 * The matrix commands: the snapshot, a refresh now, and one service's details with its last
 * deploys from the ledger.
 */
import type { CockpitContext, HandlersOf } from '../cockpit-context';
import { CockpitError } from '../errors';

/** The `matrix:*` commands over the open platform's matrix monitor. */
export function createMatrixHandlers(context: CockpitContext): HandlersOf<'matrix'> {
  const { services, requireMatrix } = context;
  return {
    'matrix:get': () => requireMatrix().snapshot(),
    'matrix:refresh': () => requireMatrix().refresh(),
    'matrix:details': async ({ service }) => {
      const monitor = requireMatrix();
      const { platform, audit } = services;
      if (!platform?.services.some((candidate) => candidate.id === service)) {
        throw new CockpitError('NOT_FOUND', `"${service}" is not a service of ${platform?.name ?? 'this platform'}.`);
      }
      const records = audit ? await audit.ledger.readAll() : [];
      const deployments = records
        .filter((record) => record.action.startsWith('deploy.') && record.services?.includes(service))
        .slice(-20)
        .reverse();
      return monitor.details(service, deployments);
    },
  };
}
