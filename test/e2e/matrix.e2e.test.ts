import { describe, expect, it } from 'vitest';
import { demoServices } from '../../src/main/core/demo/catalog';
import { demoStatus } from '../../src/main/core/demo/demo-platform';
import { noKeychain } from '../helpers/cockpit-builder';
import {
  checkedSizes,
  expectCleanPage,
  isInView,
  openCockpit,
  openRecordedPage,
  saveScreenshot,
  saveViewScreenshots,
  sharedDemoAndBrowser,
  startCockpitOnBridge,
} from './harness';

const shared = sharedDemoAndBrowser('matrix');

describe('the matrix in Chromium, on the demo platform', () => {
  it('shows all 14 cells up with the versions the services report; a stopped instance turns its cell unreachable', async () => {
    const {
      browser,
      demo: { demoDir, platformFile },
    } = shared;
    const running = await startCockpitOnBridge({
      platformFile,
      openKeychain: noKeychain,
      matrix: { idleIntervalMs: 400, repoIntervalMs: 5_000, probeTimeoutMs: 1_000 },
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      const instances = await demoStatus(demoDir);
      for (const instance of instances) {
        const cell = page.getByTestId(`cell-${instance.service}-${instance.environment}`);
        await expect.poll(() => cell.getAttribute('data-status'), { timeout: 10_000 }).toBe('up');
        await expect.poll(() => cell.getByTestId('cell-version').textContent()).toBe(`v${instance.version}`);
      }
      expect(await page.locator('[data-status="up"]').count()).toBe(14);
      for (const service of demoServices) {
        const tag = page.getByTestId(`matrix-row-${service.id}`).getByTestId('latest-tag');
        await expect.poll(() => tag.textContent()).toBe(`v${service.releases.at(-1)!.version}`);
      }
      await expect.poll(() => page.getByTestId('connectivity').textContent()).toContain('127.0.0.1 14/14');
      await saveScreenshot(page, 'matrix');

      const victim = instances.find(
        (instance) => instance.environment === 'production' && instance.service === 'payment-service',
      )!;
      process.kill(victim.pid!, 'SIGTERM');
      const cell = page.getByTestId('cell-payment-service-production');
      await expect.poll(() => cell.getAttribute('data-status'), { timeout: 5_000 }).toBe('unreachable');
      await expect.poll(() => cell.textContent()).toContain('connection refused');
      await expect.poll(() => cell.getByTestId('cell-version').textContent()).toMatch(/^v1\.0\.0 \(as of/);
      await expect.poll(() => page.getByTestId('connectivity').textContent()).toContain('127.0.0.1 13/14');
      await saveScreenshot(page, 'matrix-instance-stopped');

      // Keyboard: into the grid, down two rows, Enter opens the service's details.
      await page.getByRole('grid').locator('[data-row="0"][data-column="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const details = page.getByTestId('service-details');
      await expect.poll(() => details.textContent()).toContain('Commits since');
      expect(await details.getByTestId('commits-since-tag').locator('li').count()).toBeGreaterThan(0);

      // A cell opens its panel: what runs there, and what to do next.
      await page.getByTestId('cell-auth-service-production').click();
      const cellPanel = page.getByTestId('cell-details');
      await expect.poll(() => cellPanel.getByRole('heading').textContent()).toBe('Auth Service in Production');
      await expect.poll(() => cellPanel.getByTestId('cell-details-version').textContent()).toMatch(/^v\d+\.\d+\.\d+$/);
      await expect.poll(() => cellPanel.getByTestId('cell-details-latency').textContent()).toMatch(/^\d+ ms/);
      for (const size of checkedSizes)
        expect(await isInView(page, 'cell-actions', size), `${size.width}×${size.height}`).toBe(true);
      await saveViewScreenshots(page, 'matrix-cell-panel');
      // What the health endpoint answered, one click away (keyboard too: it is a <details>).
      const payload = cellPanel.getByTestId('cell-details-payload');
      await payload.locator('summary').click();
      await expect.poll(() => payload.getByTestId('cell-details-payload-text').isVisible()).toBe(true);
      expect(await payload.getByTestId('cell-details-payload-text').textContent()).toMatch(
        /"version": "\d+\.\d+\.\d+"/,
      );
      await page.getByTestId('cell-action-deploy').click();
      await expect.poll(() => page.getByTestId('deploy-chooser').textContent()).toContain('Auth Service');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  });
});
