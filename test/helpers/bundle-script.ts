/**
 * Bundles a TypeScript entry into one plain .mjs file, so tests can start it as a real child
 * process in milliseconds (no TypeScript loader at start-up) and kill it at will.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function bundleScript(entry: string): Promise<string> {
  // Inside the repo, so the bundle's imports of packages resolve to its node_modules.
  const bundles = path.join(repoRoot, 'node_modules', '.cache', 'cockpit-test-bundles');
  mkdirSync(bundles, { recursive: true });
  const outfile = path.join(mkdtempSync(path.join(bundles, 'bundle-')), `${path.basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'silent',
    absWorkingDir: repoRoot,
  });
  return outfile;
}
