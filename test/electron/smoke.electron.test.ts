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
      .poll(async () => Number(await window.getByTestId('connection-status').getAttribute('data-heartbeats')), {
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

  it('has the desktop menu, and a title naming the platform', async () => {
    const window = await app.firstWindow();
    const labels = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label) ?? []);
    for (const label of ['File', 'Edit', 'View', 'Window', 'Help']) expect(labels).toContain(label);
    const fileMenu = await app.evaluate(
      ({ Menu }) =>
        Menu.getApplicationMenu()
          ?.items.find((item) => item.label === 'File')
          ?.submenu?.items.map((item) => item.label) ?? [],
    );
    expect(fileMenu).toContain('Open platform…');
    await expect.poll(() => window.title(), { timeout: 60_000 }).toMatch(/^Release Cockpit — Penpal AI/);
  });

  it("streams a deploy's logs from the log process straight into the window's terminal", async () => {
    const window = await app.firstWindow();
    await window.keyboard.press('Control+3');
    await window.getByTestId('deploy-plan').click();
    await expect
      .poll(() => window.getByTestId('deploy-steps').locator('tbody tr').count(), { timeout: 60_000 })
      .toBe(7);
    await window.getByTestId('deploy-start').click();
    await expect
      .poll(() => window.getByTestId('deploy-outcome').textContent(), { timeout: 120_000 })
      .toContain('Deploy to staging succeeded.');
    const terminal = window.getByTestId('deploy-terminal').locator('.xterm-rows');
    await expect.poll(() => terminal.textContent(), { timeout: 30_000 }).toContain('Healthy:');
    // The logs were masked, written and batched in a utility process of their own.
    const utilities = await app.evaluate(({ app: electronApp }) =>
      electronApp
        .getAppMetrics()
        .filter((metric) => metric.type === 'Utility')
        .flatMap((metric) => [metric.name, metric.serviceName]),
    );
    expect(utilities).toContain('Release Cockpit logs');
    await saveScreenshot(window, 'electron-deploy-logs');
  });
});
