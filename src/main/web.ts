/**
 * `npm run start:web`: the cockpit without Electron. Starts the core and the loopback bridge and
 * prints the URL to open in a browser. Stop it with Ctrl-C.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startBridgeServer } from './bridge/server';
import { createCockpit } from './core/cockpit';
import { keepWritesPrivate, resolveDataDir } from './core/data-dir';
import { readPackageInfo } from './package-info';
import { choosePlatform } from './platform-choice';

const rendererRoot = fileURLToPath(new URL('../../out/renderer', import.meta.url));

async function startWeb() {
  keepWritesPrivate();
  const info = readPackageInfo();
  const dataDir = resolveDataDir({ env: process.env, platform: process.platform, homeDir: os.homedir() });
  const port = Number(process.env.COCKPIT_WEB_PORT ?? 0);
  // `npm run start:web -- --no-demo`: a first start waits for a platform to be chosen, as the packaged app does.
  const platform = await choosePlatform(dataDir, process.env, (line) => process.stdout.write(`Demo: ${line}\n`), {
    openDemoAtStart: !process.argv.includes('--no-demo'),
  });
  const cockpit = createCockpit({
    name: info.productName,
    version: info.version,
    runtime: 'web',
    dataDir,
    ...platform,
  });
  const bridge = await startBridgeServer({ cockpit, rendererRoot, port: Number.isInteger(port) ? port : 0 });
  process.stdout.write(`${info.productName} ${info.version} is running on the loopback bridge.\n`);
  process.stdout.write(`Data folder: ${dataDir}\n`);
  process.stdout.write(`Open: ${bridge.url}\n`);
  await cockpit.start();
  const shutdown = () => {
    cockpit.stop();
    void bridge.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void startWeb().catch((error: unknown) => {
  process.stderr.write(`Could not start the loopback bridge: ${(error as Error).message}\n`);
  process.exit(1);
});
