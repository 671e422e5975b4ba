/**
 * Builds the CLI as a self-contained bundle for plain Node ≥ 22 and Electron's own Node:
 * `out/cli/cockpit.mjs`, its lazily loaded subcommands as chunks beside it (in the same folder,
 * so paths the code finds from `import.meta.url` are the same as from `src/main`).
 *
 * The pure-JavaScript runtime dependencies are bundled in: the CLI starts as one process per demo
 * step and per scripted command, and Node resolving and compiling zod's or simple-git's files one
 * by one cost each start more than its own work (zod ~110 ms from node_modules, ~55 ms bundled).
 * Native modules stay external and come from `node_modules`; nothing is taken from a dev
 * dependency (a bare import of anything else stays external and fails where it is missing).
 */
import { build, type Plugin } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** Loaded from `node_modules` at run time: native code, or a package bundling cannot carry. */
const keptExternal = new Set(['@napi-rs/keyring', 'electron']);
const dependencies = Object.keys(
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies,
);

/** The package a bare import names: `zod/mini` → `zod`, `@xterm/headless/x` → `@xterm/headless`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Bundles the production dependencies' own code (and what they import), keeps the rest external. */
const bundleProductionDependencies: Plugin = {
  name: 'bundle-production-dependencies',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (args.path.startsWith('node:') || keptExternal.has(name)) return { path: args.path, external: true };
      // Imports made inside a bundled package resolve from it, as Node would.
      const isInPackage = args.resolveDir.includes(`${path.sep}node_modules${path.sep}`);
      return isInPackage || dependencies.includes(name) ? undefined : { path: args.path, external: true };
    });
  },
};
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
  plugins: [bundleProductionDependencies],
  // Bundled CommonJS packages call `require` for Node's builtins: an ES module has none of its own.
  banner: {
    js: "import { createRequire as __cockpitRequire } from 'node:module'; const require = __cockpitRequire(import.meta.url);",
  },
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
  // The bundled packages' licence notices, in a file beside each output.
  legalComments: 'linked',
});
process.stdout.write(`CLI bundle: ${path.relative(root, path.join(outdir, 'cockpit.mjs'))}\n`);
