#!/usr/bin/env node
// The `cockpit` command. Runs the bundled CLI (`out/cli/cockpit.mjs`, plain Node) when no `src/` is
// beside it (a packaged or copied app) or when the bundle is newer than every file in `src/`;
// otherwise runs the TypeScript in `src/` through tsx, so a stale bundle never shadows the code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `cockpit needs Node 22.12 or newer; this is Node ${process.versions.node}. Install a newer Node and run it again.\n`,
  );
  process.exit(2);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'out', 'cli', 'cockpit.mjs');
const source = path.join(root, 'src');

/** The newest modification time of any file under a folder. */
function newestIn(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const hasSource = existsSync(path.join(source, 'main', 'cli', 'index.ts'));
if (existsSync(bundle) && (!hasSource || statSync(bundle).mtimeMs > newestIn(source))) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/main/cli/index.ts');
  process.exitCode = await main(process.argv.slice(2));
}
