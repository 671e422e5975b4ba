#!/usr/bin/env node
// The `cockpit` command: runs the cockpit's TypeScript core headless through tsx.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `cockpit needs Node 22.12 or newer; this is Node ${process.versions.node}. Install a newer Node and run it again.\n`,
  );
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
