/**
 * `npm run icons`: renders the one source image, `resources/icon.svg`, to `resources/icon.png`
 * (1024 × 1024) with headless Chromium; electron-builder makes every platform's icon from it
 * (`.icns`, `.ico`, the Linux sizes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const svg = readFileSync(path.join(root, 'resources', 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.COCKPIT_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
});
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="1024" height="1024" ')}</body></html>`,
  );
  await page.screenshot({ path: path.join(root, 'resources', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
process.stdout.write('resources/icon.png written from resources/icon.svg\n');
