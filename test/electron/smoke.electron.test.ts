import path from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPage, saveScreenshot, type PageProblems } from '../e2e/harness';
import { temporaryDataDir } from '../helpers/cockpit-builder';

const repoRoot = path.resolve(import.meta.dirname, '../..');
let app: ElectronApplication;

beforeAll(async () => {
  app = await electron.launch({
    args: [repoRoot],
    env: { ...process.env, COCKPIT_DATA_DIR: temporaryDataDir() },
  });
});

afterAll(async () => {
  await app?.close();
});

describe('the Electron app', () => {
  it('opens a sandboxed, isolated window that shows app:info and receives heartbeats', async () => {
    const window = await app.firstWindow();
    const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
    window.on('console', (message) => message.type() === 'error' && problems.consoleErrors.push(message.text()));
    window.on('pageerror', (error) => problems.pageErrors.push(error.message));

    expect(window.url()).toBe('app://cockpit/index.html');
    await expect.poll(() => window.getByTestId('app-version').textContent()).toContain('Release Cockpit');
    await expect
      .poll(async () => Number((await window.getByTestId('heartbeat-count').textContent())?.replace(/\D/g, '')), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(2);

    const isolation = await window.evaluate(() => ({
      hasRequire: typeof (globalThis as { require?: unknown }).require !== 'undefined',
      hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
      bridgeKeys: Object.keys((globalThis as { cockpit?: object }).cockpit ?? {}).sort(),
    }));
    expect(isolation).toEqual({ hasRequire: false, hasProcess: false, bridgeKeys: ['invoke', 'on', 'transport'] });

    await saveScreenshot(window, 'electron-shell');
    expectCleanPage(problems);
  });
});
