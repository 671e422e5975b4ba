import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCockpit, type CockpitOptions } from '../../src/main/core/cockpit';
import { isLoopbackHost } from '../../src/main/core/health/prober';
import type { Logger } from '../../src/main/core/logger';

/** A logger that keeps its entries, for assertions. */
export function recordingLogger() {
  const entries: { level: string; message: string; context?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, context) => entries.push({ level: 'info', message, context }),
    warn: (message, context) => entries.push({ level: 'warn', message, context }),
    error: (message, context) => entries.push({ level: 'error', message, context }),
  };
  return { logger, entries };
}

/** A temporary data folder for one test. */
export function temporaryDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'cockpit-test-'));
}

/** A core with test defaults: no heartbeat unless asked, a temp data folder, a recording logger. */
export function buildCockpit(overrides: Partial<CockpitOptions> = {}) {
  const { logger, entries } = recordingLogger();
  const cockpit = createCockpit({
    name: 'Release Cockpit',
    version: '9.8.7',
    runtime: 'test',
    dataDir: temporaryDataDir(),
    heartbeatIntervalMs: 0,
    logger,
    ...overrides,
    // Tests never reach beyond this machine, whatever platform they load.
    isHostAllowed: isLoopbackHost,
  });
  return { cockpit, logEntries: entries };
}

/** The Penpal AI sample platform shipped in resources/. */
export const samplePlatformFile = path.resolve(import.meta.dirname, '../../resources/platforms/penpal-ai.yaml');

/** A keychain opener that finds no keychain, as on Linux without a Secret Service. */
export const noKeychain = async () => ({
  ok: false as const,
  reason: 'Couldn’t access platform storage: AccessDenied',
});

/** A started core on the sample platform, with the session-only keychain unless told otherwise. */
export async function buildStartedCockpit(overrides: Partial<CockpitOptions> = {}) {
  const built = buildCockpit({ platformFile: samplePlatformFile, openKeychain: noKeychain, ...overrides });
  await built.cockpit.start();
  return built;
}
