import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noKeychain, samplePlatformFile } from '../helpers/cockpit-builder';
import {
  expectCleanPage,
  sharedBrowser,
  openCockpit,
  openRecordedPage,
  recordReceivedFrames,
  saveScreenshot,
  startCockpitOnBridge,
} from './harness';

const shared = sharedBrowser();

describe('Settings in Chromium, over the loopback bridge', () => {
  it('sets a token, and no message sent to the renderer ever contains its value', async () => {
    const token = 'cfy_e2e_Secret-Token_9f8e7d6c';
    const running = await startCockpitOnBridge({ platformFile: samplePlatformFile, openKeychain: noKeychain });
    const { page, problems } = await openRecordedPage(shared.browser);
    const frames = recordReceivedFrames(page);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+7');
      await page.getByTestId('credentials-table').waitFor();
      await expect.poll(() => page.getByTestId('keychain-status').textContent()).toContain('session only');

      const row = page.getByTestId('credential-coolify-api-token');
      await row.getByRole('button', { name: 'Set' }).click();
      const field = page.getByTestId('credential-value');
      await field.fill(token);
      await page.getByTestId('credential-save').click();
      await expect.poll(() => row.getByTestId('credential-state').textContent()).toBe('Set');
      await expect.poll(() => row.getByRole('button', { name: 'Replace' }).count()).toBe(1);

      // Replace it, then delete it: every step goes through the bridge.
      await row.getByRole('button', { name: 'Replace' }).click();
      await page.getByTestId('credential-value').fill(`${token}-2`);
      await page.getByTestId('credential-save').click();
      await expect.poll(() => page.getByTestId('credential-value').count()).toBe(0);
      await saveScreenshot(page, 'settings-credentials');
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByTestId('credential-delete-confirm').click();
      await expect.poll(() => row.getByTestId('credential-state').textContent()).toBe('Not set');

      // Every change is in the audit trail, started and finished, without the value.
      await page.keyboard.press('Control+5');
      await expect.poll(() => page.getByTestId('ledger-record').count()).toBe(6);
      await expect
        .poll(() => page.getByTestId('ledger-count').textContent())
        .toContain('6 of 6 records · chain intact');
      await saveScreenshot(page, 'ledger');
      // The export is kept in the data folder and downloaded by the browser too.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^ledger-.+\.csv$/);
      expect(
        readFileSync(await download.path(), 'utf8')
          .trim()
          .split('\n'),
      ).toHaveLength(7);

      expect(frames.length).toBeGreaterThan(3);
      expect(frames.some((frame) => frame.includes('credentials:changed'))).toBe(true);
      for (const frame of frames) {
        expect(frame).not.toContain(token);
        expect(frame).not.toContain(Buffer.from(token).toString('base64'));
      }
      expect(await page.content()).not.toContain(token);
      expect(JSON.stringify(running.logEntries)).not.toContain(token);
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  });
});
