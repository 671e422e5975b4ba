/**
 * Platforms in the real renderer (Chromium, over the loopback bridge): the chooser opens a second
 * platform file by its path; a deliberately broken save shows its problem with the line, the last
 * good platform staying loaded; the save that fixes it reloads it. A first start without a
 * platform offers the three ways.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noKeychain } from '../helpers/cockpit-builder';
import { validPlatformYaml, withChange } from '../main/core/platform/platform-builder';
import {
  expectCleanPage,
  sharedBrowser,
  openCockpit,
  openRecordedPage,
  saveScreenshot,
  startCockpitOnBridge,
} from './harness';

const shared = sharedBrowser();

const named = (id: string, name: string, extra = '') =>
  withChange('name: Shop', `name: ${name}${extra}`, withChange('id: shop', `id: ${id}`));

describe('platforms in Chromium, over the loopback bridge', () => {
  it('opens a second file from the chooser; a broken save shows its line and keeps the last good one; the fix reloads', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-e2e-platforms-'));
    const shop = path.join(folder, 'shop.yaml');
    const blog = path.join(folder, 'blog.yaml');
    writeFileSync(shop, validPlatformYaml);
    writeFileSync(blog, named('blog', 'Blog'));
    const running = await startCockpitOnBridge({ platformFile: shop, openKeychain: noKeychain });
    const { page, problems } = await openRecordedPage(shared.browser);
    try {
      await openCockpit(page, running.bridge.url);
      await expect.poll(() => page.getByTestId('platform-switch').textContent(), { timeout: 15_000 }).toBe('Shop ▾');

      await page.keyboard.press('Control+o');
      await page.getByTestId('platform-path').fill(blog);
      await saveScreenshot(page, 'platform-chooser');
      await page.getByTestId('open-platform-path').click();
      await expect.poll(() => page.getByTestId('platform-switch').textContent(), { timeout: 15_000 }).toBe('Blog ▾');
      await expect.poll(() => page.getByTestId('platform-chooser').count()).toBe(0);

      // A save that breaks the file: its problem with the line's text; Blog stays loaded.
      writeFileSync(blog, named('blog', 'Blog', '\nowner: ops'));
      const banner = page.getByTestId('platform-file-problems');
      await banner.waitFor({ timeout: 15_000 });
      await expect.poll(() => banner.textContent()).toContain(`${blog} has 1 problem — Blog stays open as it was`);
      await expect
        .poll(() => banner.getByTestId('platform-problem').textContent())
        .toContain(`${blog}:4:1: owner: unknown field "owner"`);
      await expect.poll(() => banner.getByTestId('platform-problem-line').textContent()).toBe('   4 | owner: ops');
      expect(await page.getByTestId('platform-switch').textContent()).toBe('Blog ▾');
      await saveScreenshot(page, 'platform-broken-save');

      // The save that fixes it reloads the platform; the problems are gone.
      writeFileSync(blog, named('blog', 'Blog fixed'));
      await expect
        .poll(() => page.getByTestId('platform-switch').textContent(), { timeout: 15_000 })
        .toBe('Blog fixed ▾');
      await expect.poll(() => page.getByTestId('platform-file-problems').count()).toBe(0);
      await saveScreenshot(page, 'platform-fixed');

      // A reload opens the same view: it is in the address (the token untouched).
      await page.keyboard.press('Control+5');
      await page.getByTestId('view-ledger').waitFor();
      expect(new URL(page.url()).hash).toBe('#/ledger');
      await page.reload();
      await page.getByTestId('view-ledger').waitFor({ timeout: 15_000 });
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  });

  it('offers the three ways on a first start without a platform, and opens the one chosen', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-e2e-first-'));
    const shop = path.join(folder, 'shop.yaml');
    writeFileSync(shop, validPlatformYaml);
    const running = await startCockpitOnBridge({
      openKeychain: noKeychain,
      openDemoAtStart: false,
      startDemo: async () => shop,
    });
    const { page, problems } = await openRecordedPage(shared.browser);
    try {
      await openCockpit(page, running.bridge.url);
      const start = page.getByTestId('platform-start');
      await start.waitFor({ timeout: 15_000 });
      for (const way of ['platform-path', 'new-from-coolify', 'open-demo'])
        expect(await start.getByTestId(way).count()).toBe(1);
      await saveScreenshot(page, 'platform-first-start');
      await start.getByTestId('platform-path').fill(shop);
      await start.getByTestId('open-platform-path').click();
      await expect.poll(() => page.getByTestId('platform-switch').textContent(), { timeout: 15_000 }).toBe('Shop ▾');
      await page.getByTestId('view-matrix').waitFor();
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  });
});
