import { describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../src/main/core/demo/catalog';
import { demoStatus } from '../../src/main/core/demo/demo-platform';
import { loadPlatformFile } from '../../src/main/core/platform/load';
import { currentOsUser } from '../../src/main/core/policy/roles';
import { noKeychain, temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';
import {
  expectCleanPage,
  openCockpit,
  openRecordedPage,
  saveScreenshot,
  sharedDemoAndBrowser,
  startCockpitOnBridge,
} from './harness';

const shared = sharedDemoAndBrowser('rollback');

describe('the rollback wizard in Chromium, on the demo platform', () => {
  it('walks from triage to a verified level 1 rollback', async () => {
    const { demo, browser } = shared;
    const dataDir = temporaryDataDir();
    const env = { ...process.env, COCKPIT_DATA_DIR: dataDir, COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus' };
    const auth = demoServices.find((service) => service.id === 'auth-service')!;
    // auth-service goes from its staging version to the latest: the latest turns out broken.
    const deploy = (version: string) =>
      runCockpit(
        [
          'deploy',
          'staging',
          '--platform',
          demo.platformFile,
          '--yes',
          '--services',
          'auth-service',
          '--versions',
          `auth-service=${version}`,
        ],
        env,
      );
    expect((await deploy(latestVersion(auth))).code).toBe(0);

    const running = await startCockpitOnBridge({
      platformFile: demo.platformFile,
      dataDir,
      openKeychain: noKeychain,
      actor: { name: 'On-call Engineer', source: 'git' },
    });
    const { page, problems } = await openRecordedPage(browser);
    try {
      await openCockpit(page, running.bridge.url);
      await page.keyboard.press('Control+4');
      await page.getByLabel('Service', { exact: true }).first().click();
      await page.getByRole('option', { name: 'Auth Service' }).click();
      await page.getByLabel('Environment', { exact: true }).first().click();
      await page.getByRole('option', { name: 'Staging' }).click();
      await page.getByTestId('rollback-triage').click();
      const assessment = page.getByTestId('rollback-assessment');
      await expect.poll(() => assessment.textContent()).toContain('Recommended: level 1');
      expect(await assessment.textContent()).toContain(`Previous stable version: v${auth.staging}`);
      await saveScreenshot(page, 'rollback-1-triage');

      // The runbook is there before anything runs (also offline): what each step touches.
      await page.getByTestId('rollback-runbook').locator('summary').click();
      expect(await page.getByTestId('rollback-runbook').textContent()).toContain(
        'Redeploy the previous stable version',
      );

      await page.getByTestId('rollback-start').click();
      // The walk stops before the step that changes something, says what it touches, and waits.
      const question = page.getByTestId('rollback-question');
      await expect
        .poll(() => question.textContent(), { timeout: 30_000 })
        .toContain('Redeploy the previous stable version');
      expect(await question.textContent()).toContain('Stops the running version');
      expect(await page.getByTestId('rollback-step-choose').textContent()).toContain(
        `auth-service: v${latestVersion(auth)} → v${auth.staging}`,
      );
      // The internal notice is filled from live data.
      const notice = page.getByTestId('notice-rollback-notice').locator('textarea');
      await expect.poll(() => notice.inputValue()).toContain(`Version: v${latestVersion(auth)} → v${auth.staging}`);
      // The engineer is recognised in the demo's roster (by OS user): the notice names that person.
      const loaded = await loadPlatformFile(demo.platformFile);
      const onCall = loaded.ok
        ? loaded.platform.roster.people.find((person) => person.osUser === currentOsUser())
        : undefined;
      expect(await notice.inputValue()).toContain(`Contact: ${onCall?.name ?? 'On-call Engineer'}`);
      await saveScreenshot(page, 'rollback-2-confirm');
      await page.getByTestId('rollback-continue').click();
      await expect
        .poll(() => page.getByTestId('rollback-outcome').textContent(), { timeout: 60_000 })
        .toContain('Rolled back and verified');
      expect(await page.getByTestId('rollback-output').textContent()).toContain(
        `Deploying auth-service v${auth.staging}`,
      );
      for (const step of ['choose', 'redeploy', 'verify'])
        expect(await page.getByTestId(`rollback-step-${step}`).getByTestId('rollback-step-state').textContent()).toBe(
          'succeeded',
        );
      await saveScreenshot(page, 'rollback-3-verified');
      // Once verified: the notice says resolved, with the same duration as the banner, and the
      // assessment made before is not offered again as it was.
      const durationOf = (text: string | null) => /in ([\d.]+ (?:ms|s|min)[^(]*)\(/.exec(text ?? '')?.[1]?.trim();
      const bannerDuration = durationOf(await page.getByTestId('rollback-outcome').textContent());
      const internal = page.getByTestId('notice-rollback-notice').locator('textarea');
      await expect.poll(() => internal.inputValue()).toContain('✅ ROLLBACK RESOLVED');
      expect(await internal.inputValue()).toContain(`Duration: ${bannerDuration} (the rollback itself`);
      expect(await page.getByTestId('rollback-reassess').count()).toBe(1);
      expect(await page.getByTestId('rollback-levels').count()).toBe(0);

      // The post-mortem is drafted from the ledger, in the manual's template.
      await page.getByTestId('postmortem-draft').click();
      const draft = page.getByTestId('postmortem-text');
      await expect.poll(() => draft.inputValue()).toContain('## Timeline');
      expect(await draft.inputValue()).toContain(`Release v${latestVersion(auth)} of auth-service deployed to staging`);
      expect(await draft.inputValue()).toContain('Service restored and verified');

      // Queued for Slack: in the outbox and the ledger, sent by the outbox when Slack answers.
      await page.getByTestId('queue-rollback-notice').click();
      await expect.poll(() => page.getByTestId('notice-rollback-notice').textContent()).toContain('Queued for #');
      // The demo has no Slack webhook set: the outbox keeps the notice and says why.
      await page.keyboard.press('Control+7');
      const outbox = page.getByTestId('outbox');
      await expect.poll(() => outbox.textContent()).toContain('No webhook URL for #incidents');
      expect(await outbox.getByTestId('outbox-state').first().textContent()).toBe('retrying');
      expect(await page.getByTestId('outbox-status').textContent()).toContain('Outbox: 1 waiting');
      await saveScreenshot(page, 'rollback-4-outbox');

      // Checked over HTTP, not by the cockpit's word.
      const instance = (await demoStatus(demo.demoDir)).find(
        (candidate) => candidate.environment === 'staging' && candidate.service === 'auth-service',
      );
      expect(instance?.version).toBe(auth.staging);

      // The matrix cell says what happened: rolled back from the latest, which is marked bad.
      await page.keyboard.press('Control+1');
      const cell = page.getByTestId('cell-auth-service-staging');
      await expect
        .poll(() => cell.getByTestId('cell-rolled-back').textContent())
        .toBe(`rolled back from v${latestVersion(auth)}`);
      expect(await cell.getByTestId('cell-bad-version').first().textContent()).toBe(
        `v${latestVersion(auth)} marked bad`,
      );
      await saveScreenshot(page, 'rollback-5-matrix-marks');
      expectCleanPage(problems);
    } finally {
      await page.close();
      await running.stop();
    }
  }, 150_000);
});
