import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import path from 'node:path';
import type { LedgerPage } from '../../src/shared/contract';
import type { Reply } from '../../src/shared/reply';
import { describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../src/main/core/demo/catalog';
import { demoStatus } from '../../src/main/core/demo/demo-platform';
import { runGit } from '../../src/main/core/git/hardened-git';
import { noKeychain, temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';
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

const shared = sharedDemoAndBrowser('deploy');

const bridgeOptions = {
  openKeychain: noKeychain,
  actor: { name: 'Release Manager', source: 'git' as const },
  matrix: { idleIntervalMs: 1_000, hotIntervalMs: 300, probeTimeoutMs: 1_000 },
};

/** What each instance of an environment reports over HTTP (not the cockpit's word). */
async function reportedVersions(environment: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await demoStatus(shared.demo.demoDir))
      .filter((instance) => instance.environment === environment)
      .map((instance) => [instance.service, instance.version ?? '']),
  );
}

describe('deploying from the Deploy view, on the demo platform', () => {
  it('streams the logs into the terminal and the matrix shows the new versions; then promotes to production', async () => {
    const {
      browser,
      demo: { demoDir, platformFile },
    } = shared;
    // A fresh patch release of auth-service on develop, not yet on main.
    const cut = await runCockpit(['release', 'cut', 'auth-service', 'patch', '--platform', platformFile], {
      ...process.env,
      COCKPIT_DATA_DIR: temporaryDataDir(),
    });
    expect(cut.code, cut.stderr).toBe(0);
    const auth = demoServices.find((service) => service.id === 'auth-service')!;
    const authPatch = latestVersion(auth).replace(/\d+$/, (patch) => String(Number(patch) + 1));
    // Inside production's window (Tue–Thu 14:00–16:00 Paris), so the promotion may deploy.
    const running = await startCockpitOnBridge({
      platformFile,
      ...bridgeOptions,
      clock: () => new Date('2026-11-24T15:00:00+01:00'),
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+3');
      await page.getByTestId('deploy-plan').click();
      // Nothing can start while the plan is being made.
      expect(await page.getByTestId('deploy-start').isDisabled()).toBe(true);
      await expect.poll(() => page.getByTestId('deploy-steps').locator('tbody tr').count()).toBe(7);
      expect(await page.getByTestId('deploy-plan-panel').textContent()).toMatch(
        /Plan plan-[0-9TZ-]+-[0-9a-f]{8}made \d+ min ago/,
      );
      // Each step shows its checks before the run: health now, and CI (the demo has no CI: unknown).
      const dbRow = page.getByTestId('deploy-step-db-service');
      expect(await dbRow.getByTestId('gate-health').textContent()).toBe('Health now: pass');
      expect(await dbRow.getByTestId('gate-ci').textContent()).toMatch(/^CI of v[\d.]+: unknown$/);
      await page.getByTestId('deploy-start').click();
      // During the run, at both checked sizes, the plan, its steps and the terminal are on screen
      // without scrolling, the notices in their own tab.
      await page.getByTestId('deploy-terminal').waitFor();
      await saveViewScreenshots(page, 'deploy-running');
      for (const size of checkedSizes)
        for (const part of ['deploy-plan-panel', 'deploy-steps', 'deploy-terminal'])
          expect(await isInView(page, part, size), `${part} at ${size.width}×${size.height}`).toBe(true);
      await expect
        .poll(() => page.getByTestId('deploy-outcome').textContent(), { timeout: 60_000 })
        .toContain('Deploy to staging succeeded.');
      const terminal = page.getByTestId('deploy-terminal').locator('.xterm-rows');
      await expect.poll(() => terminal.textContent()).toContain('Healthy: frontend reports v2.2.0');
      // Each step's duration and the run's, in the one format.
      expect(await dbRow.getByTestId('deploy-step-duration').textContent()).toMatch(/· \d+(\.\d+)? ?(ms|s)/);
      expect(await page.getByTestId('deploy-elapsed').textContent()).toMatch(/^took \d+ (ms|s|min)/);
      // The deploy's notices are filled from the ledger, ready to copy or queue (in their own tab:
      // the plan, the steps and the terminal stay on top).
      await page.getByRole('tab', { name: 'Notices' }).click();
      const notices = page.getByTestId('deploy-notices');
      await expect
        .poll(() => notices.locator('textarea').first().inputValue())
        .toContain('Deploy to staging succeeded');
      await saveScreenshot(page, 'deploy');

      // Planning again shows only the new plan: no step keeps the run's states.
      await page.getByTestId('deploy-plan').click();
      await expect
        .poll(async () => [...new Set(await page.getByTestId('deploy-step-status').allTextContents())])
        .toEqual(['planned']);
      expect(await page.getByTestId('deploy-outcome').count()).toBe(0);

      // Checked over HTTP, not by the cockpit's word.
      for (const instance of (await demoStatus(demoDir)).filter((candidate) => candidate.environment === 'staging')) {
        const service = demoServices.find((candidate) => candidate.id === instance.service)!;
        expect(instance.version).toBe(service.id === 'auth-service' ? authPatch : latestVersion(service));
      }
      await page.keyboard.press('Control+1');
      expect(await page.getByTestId('deploy-terminal').count()).toBe(0);
      for (const service of demoServices) {
        const cell = page.getByTestId(`cell-${service.id}-staging`).getByTestId('cell-version');
        await expect
          .poll(() => cell.textContent())
          .toBe(`v${service.id === 'auth-service' ? authPatch : latestVersion(service)}`);
      }
      await saveScreenshot(page, 'matrix-after-deploy');

      // Back in the Deploy view, the run's log is still there; search pauses following.
      await page.keyboard.press('Control+3');
      await expect.poll(() => terminal.textContent()).toContain('Healthy: frontend reports v2.2.0');
      await page.getByTestId('terminal-search').fill('Healthy');
      await page.getByTestId('terminal-search').press('Enter');
      await expect.poll(() => page.getByTestId('terminal-follow').getAttribute('aria-pressed')).toBe('false');

      // QA signs the functional blockers of the release (one from the Releases view): without them
      // the sign-off gate stops a production deploy.
      // The focus is still in the terminal's search field: the shortcut works from there too.
      await page.keyboard.press('Control+2');
      await page.getByTestId('release-acceptance-tab').click();
      await page.getByTestId('signoff-blocker-auth').getByTestId('signoff-sign').click();
      await expect.poll(() => page.getByTestId('signoff-blocker-auth').textContent()).toContain('✓');
      for (const item of [
        'blocker-ai-chat',
        'blocker-payments',
        'blocker-no-data-loss',
        'blocker-no-critical-regression',
      ])
        expect(await running.cockpit.dispatch('signoff:sign', { item })).toMatchObject({ ok: true });
      await page.keyboard.press('Control+3');

      // Staging proved these versions: promotion plans production with them; the review lists every
      // gate (the sign-off gate too) and needs the environment's name typed; then it merges into
      // main with --no-ff and deploys production.
      await page.getByRole('tab', { name: 'Promotion' }).click();
      const promote = page.getByTestId('deploy-promote');
      await expect.poll(() => promote.count(), { timeout: 15_000 }).toBe(1);
      await promote.click();
      // The staging plan leaves the screen at once; the production plan's start opens the review.
      const start = page.getByTestId('deploy-start');
      await expect.poll(() => start.textContent()).toBe('Review and deploy…');
      await expect.poll(() => start.isEnabled()).toBe(true);
      await expect.poll(() => page.getByTestId('deploy-steps').locator('tbody tr').count()).toBeGreaterThan(0);
      await start.click();
      const review = page.getByRole('dialog');
      await expect
        .poll(() => review.locator('[data-testid^="plan-gate-signoff"]').count(), { timeout: 60_000 })
        .toBe(1);
      expect(await review.getByTestId('review-changes').textContent()).toContain(`v${authPatch}`);
      expect(await page.getByTestId('review-start').isDisabled()).toBe(true);
      await page.getByTestId('review-confirmation').fill('production');
      await saveScreenshot(page, 'deploy-review');
      await page.getByTestId('review-start').click();
      await expect
        .poll(() => page.getByTestId('deploy-outcome').textContent(), { timeout: 90_000 })
        .toContain('Deploy to production succeeded.');
      expect(await reportedVersions('production')).toEqual(await reportedVersions('staging'));
      const origin = path.join(demoDir, 'origin', 'auth-service.git');
      const merge = await runGit(['log', '-1', '--format=%P%n%s', 'main'], { cwd: origin });
      expect(merge.split('\n')[0]!.split(' ')).toHaveLength(2);
      expect(merge.split('\n')[1]).toBe(`chore(release): promote v${authPatch} to production`);
      await page.getByRole('tab', { name: 'Promotion' }).click();
      await expect.poll(() => page.getByTestId('promotion').textContent()).toContain('already runs what staging runs');
      await saveScreenshot(page, 'deploy-promoted');

      // The history lists the run; its log reopens in the terminal from the run's file.
      await page.getByRole('tab', { name: 'History' }).click();
      const history = page.getByTestId('deploy-history');
      await expect.poll(() => history.locator('tbody tr').count()).toBe(1);
      expect(await history.textContent()).toContain('succeeded');
      await history.getByTestId('history-open-log').first().click();
      // The file's lines ("[service] …"), not the live terminal's ("service │ …").
      await expect.poll(() => terminal.textContent()).toContain('[frontend] Healthy: frontend reports v');
      await saveScreenshot(page, 'deploy-history');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  }, 120_000);

  it('offers an interrupted run at start and resumes it without triggering a finished step again', async () => {
    const {
      browser,
      demo: { platformFile },
    } = shared;
    const dataDir = temporaryDataDir();
    const notify = demoServices.find((service) => service.id === 'notify-service')!;
    const db = demoServices.find((service) => service.id === 'db-service')!;
    const runId = '2026-11-24T10-00-00Z-interrupted';
    const at = new Date().toISOString();
    const journal = [
      {
        kind: 'run-started',
        runId,
        environment: 'staging',
        waves: [
          [
            { service: 'db-service', version: db.staging, action: 'deploy', dependsOn: [] },
            // The run meant to take notify-service back from what the first test left it on.
            {
              service: 'notify-service',
              version: notify.staging,
              action: 'deploy',
              dependsOn: [],
              runningVersion: latestVersion(notify),
            },
          ],
        ],
        at,
      },
      { kind: 'step-intent', service: 'db-service', version: db.staging, at },
      { kind: 'step-finished', service: 'db-service', status: 'failed', detail: 'failed before the crash', at },
    ];
    const folder = path.join(dataDir, 'deploys', 'penpal-ai-demo');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${runId}.jsonl`), journal.map((entry) => JSON.stringify(entry)).join('\n') + '\n');

    const running = await startCockpitOnBridge({ platformFile, dataDir, ...bridgeOptions });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+3');
      const banner = page.getByTestId('interrupted-runs');
      await expect.poll(() => banner.textContent()).toContain('Deploy to staging was interrupted');
      expect(await banner.textContent()).toContain(`notify-service v${notify.staging}: not started`);
      await page.getByTestId('deploy-resume').click();
      await expect
        .poll(() => page.getByTestId('deploy-outcome').textContent(), { timeout: 60_000 })
        .toContain('Deploy to staging failed.');
      // db-service failed before the crash and is not retried; notify-service ran once.
      expect((await reportedVersions('staging'))['notify-service']).toBe(notify.staging);
      expect(await page.getByTestId('deploy-step-db-service').textContent()).toContain(
        'finished before the interruption',
      );
      await expect.poll(() => banner.count()).toBe(0);
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  }, 120_000);

  it('refuses a production deploy outside its window, showing the next one; a hotfix exception lets it through', async () => {
    const {
      browser,
      demo: { platformFile },
    } = shared;
    // Monday night in Paris: production's window is closed. (Staging now differs from production
    // after the resumed run above, so there is something to deploy.)
    const running = await startCockpitOnBridge({
      platformFile,
      ...bridgeOptions,
      clock: () => new Date('2026-11-23T22:00:00+01:00'),
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+3');
      await page.getByLabel('Environment', { exact: true }).first().click();
      await page.getByRole('option', { name: 'Production (protected)' }).click();
      const banner = page.getByTestId('deploy-window');
      await expect.poll(() => banner.textContent()).toContain('Closed: no window on Monday.');
      // The one time format: the platform's zone, labelled (then the reader's own and how far off).
      expect(await banner.textContent()).toContain('Next window: Tue 24 Nov 14:00 Paris');
      await page.getByTestId('deploy-plan').click();
      await expect.poll(() => page.getByTestId('deploy-steps').count()).toBe(1);
      expect(await page.getByTestId('plan-window').textContent()).toContain('Window: closed');
      const typeAndStart = async () => {
        await page.getByTestId('deploy-start').click();
        await page.getByTestId('review-confirmation').fill('production');
        await page.getByTestId('review-start').click();
      };
      await typeAndStart();
      await expect.poll(() => page.getByRole('alert').filter({ hasText: 'closed for deploys' }).count()).toBe(1);
      expect(await page.getByRole('alert').filter({ hasText: 'closed for deploys' }).textContent()).toContain(
        'The next window opens at 2026-11-24T14:00:00.000+01:00.',
      );
      await saveScreenshot(page, 'deploy-window-closed');

      await page.getByTestId('hotfix-reason').fill('CVE-2026-4242: token forgery in auth');
      await page.getByTestId('hotfix-approve').click();
      await expect.poll(() => page.getByTestId('hotfix-exception').count()).toBe(1);
      await typeAndStart();
      await expect
        .poll(() => page.getByTestId('deploy-outcome').textContent(), { timeout: 60_000 })
        .toContain('Deploy to production succeeded.');
      expect(await reportedVersions('production')).toEqual(await reportedVersions('staging'));
      const ledger = (await running.cockpit.dispatch('ledger:query', { action: 'approval' })) as Reply<LedgerPage>;
      expect(ledger.ok && ledger.value.records.map((record) => record.summary)).toEqual([
        'Hotfix exception for Production (security): CVE-2026-4242: token forgery in auth',
      ]);
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  }, 120_000);

  it('four eyes: a hotfix exception asked in the Deploy view, refused to its requester, approved by the tech lead', async () => {
    const {
      browser,
      demo: { platformFile },
    } = shared;
    // The demo platform with four eyes on; the release manager and the tech lead share one data folder.
    const folder = temporaryDataDir();
    const fourEyesFile = path.join(folder, 'platform.yaml');
    const document = parse(readFileSync(platformFile, 'utf8')) as { policy?: Record<string, unknown> };
    document.policy = { ...document.policy, fourEyes: true };
    writeFileSync(fourEyesFile, stringify(document));
    const dataDir = path.join(folder, 'data');
    const clock = () => new Date('2026-11-23T22:00:00+01:00');
    const running = await startCockpitOnBridge({ platformFile: fourEyesFile, dataDir, ...bridgeOptions, clock });
    const techLead = await startCockpitOnBridge({
      platformFile: fourEyesFile,
      dataDir,
      ...bridgeOptions,
      actor: { name: 'Tess Tech-Lead', email: 'tess@penpal-ai.example', source: 'git' },
      clock,
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+3');
      await page.getByLabel('Environment', { exact: true }).first().click();
      await page.getByRole('option', { name: 'Production (protected)' }).click();
      await expect.poll(() => page.getByTestId('hotfix-request').count(), { timeout: 15_000 }).toBe(1);
      await page.getByRole('checkbox', { name: 'auth-service' }).check();
      await page.getByTestId('hotfix-reason').fill('CVE-2026-4242: token forgery in auth');
      await page.getByTestId('hotfix-request').click();
      await expect.poll(() => page.getByTestId('hotfix-requested').count(), { timeout: 15_000 }).toBe(1);
      const row = page.getByTestId('approval-row');
      await expect.poll(() => row.first().getAttribute('data-status'), { timeout: 15_000 }).toBe('pending');
      expect(await page.getByTestId('approvals-panel').textContent()).toContain('hotfix exception for auth-service');

      await page.getByTestId('approval-approve').click();
      await expect
        .poll(() => page.getByRole('alert').filter({ hasText: 'four eyes needs another' }).count(), { timeout: 15_000 })
        .toBe(1);

      const approvals = (await techLead.cockpit.dispatch('approvals:list', {})) as Reply<{
        approvals: { id: string }[];
      }>;
      if (!approvals.ok) throw new Error(approvals.error.message);
      const decided = await techLead.cockpit.dispatch('approvals:decide', {
        id: approvals.value.approvals[0]!.id,
        decision: 'approved',
        reason: 'patch reviewed',
      });
      expect(decided).toMatchObject({
        ok: true,
        value: { status: 'approved', decidedBy: 'Tess Tech-Lead', isIndependent: true },
      });

      // Opened again (as after a restart): the page waits for the shell before using the keyboard.
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+3');
      await page.getByLabel('Environment', { exact: true }).first().click();
      await page.getByRole('option', { name: 'Production (protected)' }).click();
      await expect
        .poll(() => page.getByTestId('hotfix-exception').textContent(), { timeout: 15_000 })
        .toContain('Open under hotfix exception for auth-service until');
      expect(await page.getByTestId('hotfix-exception').textContent()).toContain('approved by Tess Tech-Lead');
      await expect.poll(() => row.first().getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');
      await saveScreenshot(page, 'deploy-four-eyes');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
      await techLead.stop();
    }
  }, 120_000);

  it('across laptops: a request made on one bridge appears on the other after a sync, is approved there, and the first sees it', async () => {
    const {
      browser,
      demo: { platformFile },
    } = shared;
    const folder = temporaryDataDir();
    const mirror = path.join(folder, 'team-mirror.git');
    await runGit(['init', '--quiet', '--bare', mirror], { cwd: folder });
    const teamFile = path.join(folder, 'platform.yaml');
    const document = parse(readFileSync(platformFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(teamFile, stringify({ ...document, ledger: { mirror: { repo: mirror } } }));
    const clock = () => new Date('2026-11-23T22:00:00+01:00');
    const releaseManager = await startCockpitOnBridge({
      platformFile: teamFile,
      dataDir: path.join(folder, 'laptop-rm'),
      ...bridgeOptions,
      clock,
    });
    const techLead = await startCockpitOnBridge({
      platformFile: teamFile,
      dataDir: path.join(folder, 'laptop-tl'),
      ...bridgeOptions,
      actor: { name: 'Tess Tech-Lead', email: 'tess@penpal-ai.example', source: 'git' },
      clock,
    });
    const first = await openRecordedPage(browser);
    const second = await openRecordedPage(browser);
    const openProduction = async (page: typeof first.page, url: string) => {
      await openCockpit(page, url);
      await page.keyboard.press('Control+3');
      await page.getByLabel('Environment', { exact: true }).first().click();
      await page.getByRole('option', { name: 'Production (protected)' }).click();
    };
    try {
      await openProduction(first.page, releaseManager.bridge.url);
      await expect
        .poll(() => first.page.getByTestId('team-status').textContent(), { timeout: 30_000 })
        .toMatch(/Team synced/);
      await first.page.getByRole('checkbox', { name: 'payment-service' }).check();
      await first.page.getByTestId('hotfix-reason').fill('Double charges: data corruption in payments');
      await first.page.getByTestId('hotfix-category').selectOption('data-corruption');
      await first.page.getByTestId('hotfix-request').click();
      await expect.poll(() => first.page.getByTestId('hotfix-requested').count(), { timeout: 15_000 }).toBe(1);

      await openProduction(second.page, techLead.bridge.url);
      await techLead.cockpit.dispatch('team:sync', {});
      const pending = second.page.getByTestId('approval-row');
      await expect.poll(() => pending.first().getAttribute('data-status'), { timeout: 15_000 }).toBe('pending');
      expect(await second.page.getByTestId('approvals-panel').textContent()).toContain(
        'hotfix exception for payment-service',
      );
      await saveScreenshot(second.page, 'team-approval-pending');
      await second.page.getByTestId('approval-reason').fill('confirmed with the payments team');
      await second.page.getByTestId('approval-approve').click();
      await expect.poll(() => pending.first().getAttribute('data-status'), { timeout: 15_000 }).toBe('approved');

      // The approval reaches the first laptop with its next sync.
      await expect
        .poll(
          async () => {
            await releaseManager.cockpit.dispatch('team:sync', {});
            return first.page.getByTestId('approval-row').first().getAttribute('data-status');
          },
          { timeout: 30_000 },
        )
        .toBe('approved');
      await saveScreenshot(first.page, 'team-approval-approved');
      expectCleanPage(first.problems);
      expectCleanPage(second.problems);
    } finally {
      await first.page.close();
      await second.page.close();
      await releaseManager.stop();
      await techLead.stop();
    }
  }, 120_000);
});
