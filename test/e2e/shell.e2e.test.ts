import { describe, expect, it } from 'vitest';
import {
  expectCleanPage,
  sharedBrowser,
  openCockpit,
  openRecordedPage,
  saveScreenshot,
  startCockpitOnBridge,
} from './harness';

const shared = sharedBrowser();

describe('the cockpit shell in Chromium, over the loopback bridge', () => {
  it('renders app:info from the core and receives heartbeats', async () => {
    const running = await startCockpitOnBridge({ version: '3.2.1', heartbeatIntervalMs: 150 });
    const { page, problems } = await openRecordedPage(shared.browser);
    try {
      await openCockpit(page, running.bridge.url);
      await expect.poll(() => page.getByTestId('app-version').textContent()).toContain('Release Cockpit 3.2.1');
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toContain('Core connected');
      await expect
        .poll(async () => Number(await page.getByTestId('connection-status').getAttribute('data-heartbeats')))
        .toBeGreaterThanOrEqual(3);
      expect(running.bridge.connectionCount()).toBe(1);
      await saveScreenshot(page, 'shell');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  });

  it('navigates between views with the keyboard', async () => {
    const running = await startCockpitOnBridge();
    const { page, problems } = await openRecordedPage(shared.browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.getByTestId('view-matrix').waitFor();
      await page.keyboard.press('Control+3');
      await page.getByTestId('view-deploy').waitFor();
      await page.keyboard.press('Control+4');
      await page.getByTestId('view-rollback').waitFor();
      const navigation = page.getByRole('navigation', { name: 'Views' });
      await navigation.getByRole('link').first().focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByTestId('view-releases').waitFor();
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  });

  it('does not serve the page without the token, and the page cannot reach the core without it', async () => {
    const running = await startCockpitOnBridge();
    const { page } = await openRecordedPage(shared.browser);
    try {
      const response = await page.goto(running.bridge.origin + '/');
      expect(response?.status()).toBe(403);
      // A page the bridge did not serve (another origin) cannot open the socket even with the token.
      const foreign = await startCockpitOnBridge();
      const foreignPage = await openRecordedPage(shared.browser);
      await foreignPage.page.goto(foreign.bridge.url);
      const opened = await foreignPage.page.evaluate(
        (url) =>
          new Promise<boolean>((resolve) => {
            const socket = new WebSocket(url);
            socket.onopen = () => resolve(true);
            socket.onerror = () => resolve(false);
          }),
        `ws://127.0.0.1:${running.bridge.port}/bridge?token=${running.bridge.token}`,
      );
      expect(opened).toBe(false);
      expect(running.bridge.connectionCount()).toBe(0);
      await foreignPage.page.close();
      await foreign.stop();
    } finally {
      await page.close();
      await running.stop();
    }
  });

  it('runs with no inline script and no eval: the CSP blocks them', async () => {
    const running = await startCockpitOnBridge();
    const { page, problems } = await openRecordedPage(shared.browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.getByTestId('view-matrix').waitFor();
      await page.evaluate(() => {
        const inline = document.createElement('script');
        inline.textContent = 'window.__inlineRan = true';
        document.head.append(inline);
        // A string timer is eval in disguise: the policy must refuse it too.
        (setTimeout as unknown as (code: string, delay: number) => void)('window.__evalRan = true', 0);
      });
      await page.waitForTimeout(100);
      const ran = await page.evaluate(() => {
        const flags = window as unknown as { __inlineRan?: boolean; __evalRan?: boolean };
        return { inline: flags.__inlineRan === true, evaluated: flags.__evalRan === true };
      });
      expect(ran).toEqual({ inline: false, evaluated: false });
      await expect
        .poll(() => problems.cspViolations.filter((violation) => violation.startsWith('script-src')).length)
        .toBe(2);
    } finally {
      await page.close();
      await running.stop();
    }
  });

  it('follows the operating system’s light or dark theme', async () => {
    const running = await startCockpitOnBridge();
    try {
      for (const colorScheme of ['dark', 'light'] as const) {
        const page = await shared.browser.newPage({ colorScheme });
        await openCockpit(page, running.bridge.url);
        await page.getByTestId('view-matrix').waitFor();
        await expect
          .poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme')))
          .toBe(colorScheme);
        if (colorScheme === 'dark') await saveScreenshot(page, 'shell-dark');
        await page.close();
      }
    } finally {
      await running.stop();
    }
  });
});
