/**
 * Paths of the installed app, for the headless entries: the package root is two folders above
 * both `src/main` (run from source) and `out/main` (built).
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const resourcesDir = path.join(packageRoot, 'resources');
export const cockpitBin = path.join(packageRoot, 'bin', 'cockpit.js');

/** The command that runs the cockpit CLI from another process. */
export function cockpitCliCommand(): string[] {
  return [process.execPath, cockpitBin];
}
