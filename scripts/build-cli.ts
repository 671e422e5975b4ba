/**
 * Builds the CLI as a self-contained bundle for plain Node ≥ 22 and Electron's own Node:
 * `out/cli/cockpit.mjs`, its lazily loaded subcommands as chunks beside it (in the same folder,
 * so paths the code finds from `import.meta.url` are the same as from `src/main`). Runtime
 * dependencies and native modules stay external, as in the main bundle: they come from
 * `node_modules`, never from `src/` or a dev dependency.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'out', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    cockpit: path.join(root, 'src/main/cli/entry.ts'),
    // The log bus's thread, started from beside the chunk that needs it (log-bus-thread.ts).
    'log-bus-worker': path.join(root, 'src/main/core/logs/log-bus-worker.ts'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
});
process.stdout.write(`CLI bundle: ${path.relative(root, path.join(outdir, 'cockpit.mjs'))}\n`);
