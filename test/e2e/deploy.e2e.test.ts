import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../src/main/core/demo/catalog';
import { demoStatus } from '../../src/main/core/demo/demo-platform';
import { noKeychain } from '../helpers/cockpit-builder';
import {
  expectCleanPage,
  launchBrowser,
  openCockpit,
  openRecordedPage,
  saveScreenshot,
  startCockpitOnBridge,
  startDemoPlatform,
} from './harness';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoPlatform>>;
let demoDir: string;
let platformFile: string;

beforeAll(async () => {
  demo = await startDemoPlatform('deploy');
  ({ demoDir, platformFile } = demo);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
}, 60_000);

describe('deploying from the Deploy view, on the demo platform', () => {
  it('streams the logs into the terminal and the matrix shows the new versions', async () => {
    const running = await startCockpitOnBridge({
      platformFile,
      openKeychain: noKeychain,
      actor: { name: 'Release Manager', source: 'git' },
      matrix: { idleIntervalMs: 1_000, hotIntervalMs: 300, probeTimeoutMs: 1_000 },
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+3');
      await page.getByTestId('deploy-plan').click();
      await expect.poll(() => page.getByTestId('deploy-steps').locator('tbody tr').count()).toBe(7);
      await page.getByTestId('deploy-start').click();
      await expect
        .poll(() => page.getByTestId('deploy-outcome').textContent(), { timeout: 60_000 })
        .toContain('Deploy to staging succeeded.');
      const terminal = page.getByTestId('deploy-terminal').locator('.xterm-rows');
      await expect.poll(() => terminal.textContent()).toContain('Healthy: frontend reports v2.2.0');
      await saveScreenshot(page, 'deploy');

      // Checked over HTTP, not by the cockpit's word.
      for (const instance of (await demoStatus(demoDir)).filter((candidate) => candidate.environment === 'staging')) {
        const service = demoServices.find((candidate) => candidate.id === instance.service)!;
        expect(instance.version).toBe(latestVersion(service));
      }
      await page.keyboard.press('Control+1');
      for (const service of demoServices) {
        const cell = page.getByTestId(`cell-${service.id}-staging`).getByTestId('cell-version');
        await expect.poll(() => cell.textContent()).toBe(`v${latestVersion(service)}`);
      }
      await saveScreenshot(page, 'matrix-after-deploy');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  }, 120_000);
});
