import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

const shared = sharedDemoAndBrowser('releases');

describe('releases in Chromium, on the demo platform', () => {
  it('cuts a minor release of a demo service from the Releases view, and the matrix shows the new tag', async () => {
    const {
      browser,
      demo: { demoDir, platformFile },
    } = shared;
    const running = await startCockpitOnBridge({
      platformFile,
      openKeychain: noKeychain,
      actor: { name: 'Release Manager', source: 'git' },
      matrix: { idleIntervalMs: 1_000, repoIntervalMs: 60_000, probeTimeoutMs: 1_000 },
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+2');
      await expect.poll(() => page.getByTestId('release-calendar').textContent()).toContain('Next production release');
      await page.getByTestId('release-service').click();
      await page.getByRole('option', { name: 'Payment Service' }).click();
      await expect.poll(() => page.getByTestId('release-current').textContent()).toContain('latest tag v1.1.0');
      await expect.poll(() => page.getByTestId('release-commits').locator('li').count()).toBe(2);
      await page.getByText('minor → v1.2.0').click();
      await page.getByTestId('release-preview').click();
      await expect.poll(() => page.getByTestId('release-notes').textContent()).toContain('# Release v1.2.0');
      await expect.poll(() => page.getByTestId('check-tag-free').textContent()).toContain('Tag v1.2.0 is free');
      await saveScreenshot(page, 'release-preview');
      // The cut is beside the bump choice, in view without scrolling past the notes.
      for (const size of checkedSizes)
        expect(await isInView(page, 'release-cut-beside-bump', size), `${size.width}×${size.height}`).toBe(true);
      await page.getByTestId('release-cut-beside-bump').click();
      await page.getByTestId('release-confirm').click();
      await expect
        .poll(() => page.getByTestId('release-result').textContent(), { timeout: 15_000 })
        .toContain('Released payment-service v1.2.0');

      const origin = path.join(demoDir, 'origin', 'payment-service.git');
      const tagged = execFileSync('git', ['--git-dir', origin, 'rev-parse', 'v1.2.0^{commit}'], {
        encoding: 'utf8',
      }).trim();
      expect(execFileSync('git', ['--git-dir', origin, 'rev-parse', 'develop'], { encoding: 'utf8' }).trim()).toBe(
        tagged,
      );

      // The service's history has the new release on top: who cut it, when, with its notes.
      await page.getByTestId('release-history-tab').click();
      const newest = page.getByTestId('release-history-v1.2.0');
      await expect.poll(() => newest.textContent()).toContain('latest');
      expect(await newest.textContent()).toContain('# Release v1.2.0');
      expect(await page.getByTestId('release-history-v1.1.0').count()).toBe(1);
      await saveViewScreenshots(page, 'release-history');

      await page.keyboard.press('Control+1');
      const tag = page.getByTestId('matrix-row-payment-service').getByTestId('latest-tag');
      await expect.poll(() => tag.textContent(), { timeout: 10_000 }).toBe('v1.2.0');
      await page.keyboard.press('Control+5');
      await expect.poll(() => page.getByTestId('ledger-record').first().textContent()).toContain('release.cut');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  }, 60_000);
});
