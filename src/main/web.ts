/**
 * `npm run start:web`: the cockpit without Electron. Starts the core and the loopback bridge and
 * prints the URL to open in a browser. Stop it with Ctrl-C.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBridgeServer } from './bridge/server';
import { createCockpit } from './core/cockpit';
import { writeFileAtomic } from './core/atomic-file';
import { keepWritesPrivate, resolveDataDir } from './core/data-dir';
import { readPackageInfo } from './package-info';
import { choosePlatform } from './platform-choice';

const rendererRoot = fileURLToPath(new URL('../../out/renderer', import.meta.url));

const bridgeAddressFile = 'web-bridge.json';

/** The port and token of the last run, kept in the data folder (0600, as every data file). */
async function readBridgeAddress(dataDir: string): Promise<{ port: number; token: string } | undefined> {
  try {
    const saved = JSON.parse(await readFile(path.join(dataDir, bridgeAddressFile), 'utf8')) as {
      port?: unknown;
      token?: unknown;
    };
    return typeof saved.port === 'number' && typeof saved.token === 'string' && /^[0-9a-f]{48}$/.test(saved.token)
      ? { port: saved.port, token: saved.token }
      : undefined;
  } catch {
    return undefined;
  }
}

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
  // A restart keeps the same address and token, so an open page reconnects by itself.
  const saved = await readBridgeAddress(dataDir);
  const wanted = Number.isInteger(port) && port > 0 ? port : (saved?.port ?? 0);
  const bridge = await startBridgeServer({ cockpit, rendererRoot, port: wanted, token: saved?.token }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || wanted === 0) throw error;
      process.stdout.write(`Port ${wanted} is taken: the cockpit listens on another one (open the new URL below).\n`);
      return startBridgeServer({ cockpit, rendererRoot, port: 0, token: saved?.token });
    },
  );
  await writeFileAtomic(
    path.join(dataDir, bridgeAddressFile),
    `${JSON.stringify({ port: Number(new URL(bridge.url).port), token: new URL(bridge.url).searchParams.get('token') })}\n`,
  );
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
