/**
 * End-to-end harness: the real core behind the loopback bridge, the real built renderer, the
 * system Chromium driven by playwright-core. Every page records console errors, uncaught
 * exceptions and CSP violations; `expectCleanPage` fails the test on any of them.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../src/main/bridge/server';
import type { CockpitOptions } from '../../src/main/core/cockpit';
import { demoDown, demoUp } from '../../src/main/core/demo/demo-platform';
import { buildCockpit } from '../helpers/cockpit-builder';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const rendererRoot = path.join(repoRoot, 'out', 'renderer');
export const artifactsDir = path.join(repoRoot, 'test-results', 'e2e');

const chromiumPath = process.env.COCKPIT_CHROMIUM ?? '/usr/bin/chromium';

/** The flags Chromium needs to run as root on a build machine with no network. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(path.join(rendererRoot, 'web.html'))) {
    throw new Error(`The renderer is not built (${rendererRoot}/web.html is missing): run \`npm run build\` first.`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium was not found at ${chromiumPath}: \`apt-get install chromium\` or set COCKPIT_CHROMIUM.`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * A demo platform for a browser test, with metrics off (no Prometheus needed); `stop` removes it.
 */
export async function startDemoPlatform(
  prefix: string,
): Promise<{ demoDir: string; platformFile: string; stop(): Promise<void> }> {
  const demoDir = mkdtempSync(path.join(os.tmpdir(), `cockpit-e2e-${prefix}-`));
  const previous = process.env.COCKPIT_PROMETHEUS_BIN;
  process.env.COCKPIT_PROMETHEUS_BIN = '/nonexistent/prometheus';
  try {
    const { platformFile } = await demoUp({
      root: demoDir,
      resourcesDir: path.join(repoRoot, 'resources'),
      cliCommand: [process.execPath, path.join(repoRoot, 'bin', 'cockpit.js')],
    });
    return { demoDir, platformFile, stop: async () => void (await demoDown(demoDir, { purge: true })) };
  } finally {
    if (previous === undefined) delete process.env.COCKPIT_PROMETHEUS_BIN;
    else process.env.COCKPIT_PROMETHEUS_BIN = previous;
  }
}

/** A running core + bridge for one test. */
export async function startCockpitOnBridge(options: Partial<CockpitOptions> = {}) {
  const { cockpit, logEntries } = buildCockpit({ runtime: 'web', ...options });
  const bridge: BridgeServer = await startBridgeServer({ cockpit, rendererRoot });
  await cockpit.start();
  return {
    cockpit,
    bridge,
    logEntries,
    async stop() {
      cockpit.stop();
      await bridge.close();
    },
  };
}

/** Records every WebSocket frame the page receives from the bridge (what the renderer is sent). */
export function recordReceivedFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => frames.push(String(frame.payload)));
  });
  return frames;
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

/** Opens a page that records every problem it meets. */
export async function openRecordedPage(browser: Browser): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage();
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  await page.exposeFunction('__reportCspViolation', (text: string) => problems.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return { page, problems };
}

/** Fails on any console error, uncaught exception or CSP violation the page met. */
export function expectCleanPage(problems: PageProblems): void {
  expect(problems.cspViolations, 'CSP violations').toEqual([]);
  expect(problems.pageErrors, 'uncaught exceptions').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
}

/**
 * Opens the cockpit and waits until the app is running and connected to the core, so keyboard
 * shortcuts pressed next reach its listeners (a loaded machine evaluates the bundle slowly).
 */
export async function openCockpit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Views' }).waitFor();
  await expect.poll(() => page.getByTestId('connection-status').textContent()).toContain('Core connected');
}

/** Saves a screenshot under test-results/e2e. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The window sizes the views are checked at: a laptop and a small one. */
export const checkedSizes = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
] as const;

/**
 * Saves what a person sees without scrolling, at each checked size (`<name>-1440x900.png`, …),
 * and gives the page its size back.
 */
export async function saveViewScreenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(artifactsDir, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  for (const size of checkedSizes) {
    await page.setViewportSize(size);
    const file = path.join(artifactsDir, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path: file });
    files.push(file);
  }
  if (before) await page.setViewportSize(before);
  return files;
}

/** Whether an element's top edge is inside the window at `size` (seen without scrolling). */
export async function isInView(page: Page, testId: string, size: { width: number; height: number }) {
  await page.setViewportSize(size);
  const box = await page.getByTestId(testId).boundingBox();
  return box !== null && box.y >= 0 && box.y < size.height;
}

/** A browser shared by the tests of one file (launched before, closed after); read `browser` inside tests. */
export function sharedBrowser(): { browser: Browser } {
  const shared = {} as { browser: Browser };
  beforeAll(async () => {
    shared.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await shared.browser?.close();
  });
  return shared;
}

/**
 * A demo platform and a browser shared by the tests of one file (started before, stopped after).
 * Read `demo` and `browser` inside tests, once `beforeAll` has run.
 */
export function sharedDemoAndBrowser(prefix: string) {
  const shared = {} as { demo: Awaited<ReturnType<typeof startDemoPlatform>>; browser: Browser };
  beforeAll(async () => {
    shared.demo = await startDemoPlatform(prefix);
    shared.browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await shared.browser?.close();
    await shared.demo?.stop();
  });
  return shared;
}
