/**
 * The link to the core in the browser mode: when the core stops, a banner says so on every view
 * and the matrix shows its states as unknown; a core started again on the same port and token is
 * found again by itself. The token never reaches the browser console; localhost works as 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { startBridgeServer } from '../../src/main/bridge/server';
import { buildCockpit, noKeychain, samplePlatformFile } from '../helpers/cockpit-builder';
import {
  sharedBrowser,
  openCockpit,
  openRecordedPage,
  rendererRoot,
  saveScreenshot,
  saveViewScreenshots,
} from './harness';

const shared = sharedBrowser();

async function coreOn(port: number, token: string) {
  const { cockpit } = buildCockpit({ runtime: 'web', platformFile: samplePlatformFile, openKeychain: noKeychain });
  const bridge = await startBridgeServer({ cockpit, rendererRoot, port, token });
  await cockpit.start();
  return {
    bridge,
    stop: async () => {
      cockpit.stop();
      await bridge.close();
    },
  };
}

describe('the link to the core, in Chromium', () => {
  it('says at once on every view that the core stopped, and reconnects to a core started again', async () => {
    const token = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4';
    let running = await coreOn(0, token);
    const port = Number(new URL(running.bridge.url).port);
    const { page, problems } = await openRecordedPage(shared.browser);
    try {
      // localhost works as 127.0.0.1.
      await openCockpit(page, running.bridge.url.replace('127.0.0.1', 'localhost'));
      await page.getByTestId('view-matrix').locator('table').waitFor({ timeout: 15_000 });
      await running.stop();
      const banner = page.getByTestId('connection-lost');
      await banner.waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toContain('Core unreachable');
      await expect
        .poll(() => page.getByTestId('cell-status').first().textContent(), { timeout: 15_000 })
        .toContain('unknown (core not answering)');
      await page.setViewportSize({ width: 1440, height: 900 });
      await saveScreenshot(page, 'connection-lost');
      await saveViewScreenshots(page, 'connection-lost');
      await page.keyboard.press('Control+3');
      await banner.waitFor();

      running = await coreOn(port, token);
      await expect.poll(() => page.getByTestId('connection-lost').count(), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toContain('Core connected');
      const everything = [...problems.consoleErrors, ...problems.pageErrors].join('\n');
      expect(everything).not.toContain(token);
      expect(problems.pageErrors).toEqual([]);
    } finally {
      await page.close();
      await running.stop();
    }
  });
});
