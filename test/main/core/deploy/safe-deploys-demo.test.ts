/**
 * Safe deploys on the real demo platform, through the CLI as a user runs it: the plan reviewed is
 * the deploy that runs (by its id, refused when what it saw changed — nothing triggered), a
 * version rolled back from never comes back unless a person allows it, and every run stays
 * readable with its log. Checked over HTTP, with the demo's own count of deploy triggers and the
 * instances' pids — not the cockpit's word.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../../../src/main/core/demo/catalog';
import { demoStatus } from '../../../../src/main/core/demo/demo-platform';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { runCockpit } from '../../../helpers/cockpit-cli';

const demoEnv = { ...process.env, COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-safe-deploys-'));
const platform = path.join(dir, 'platform.yaml');

beforeAll(async () => {
  expect((await runCockpit(['demo', 'up', '--dir', dir], demoEnv)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await runCockpit(['demo', 'down', '--dir', dir, '--purge'], demoEnv);
}, 60_000);

const triggerCount = () => readFileSync(path.join(dir, 'deploys.jsonl'), 'utf8').split('\n').filter(Boolean).length;

async function instance(service: string, environment: string) {
  const found = (await demoStatus(dir)).find(
    (candidate) => candidate.service === service && candidate.environment === environment,
  )!;
  const body = (await (await fetch(`${found.url}/api/v1/health`)).json()) as { version: string };
  return { pid: found.pid, version: body.version };
}

function cockpit(env: NodeJS.ProcessEnv, ...args: string[]) {
  return runCockpit([...args, '--platform', platform], env);
}

async function planId(env: NodeJS.ProcessEnv, ...args: string[]) {
  const planned = await cockpit(env, 'deploy', ...args, '--plan-only', '--json');
  expect(planned.code, planned.stderr).toBe(0);
  return JSON.parse(planned.stdout) as {
    planId: string;
    waves: {
      service: string;
      version: string;
      runningVersion: string | null;
      action: string;
      reason: string;
      dependsOn: string[];
    }[][];
  };
}

describe('plans have identity (demo)', () => {
  it('starts a plan by its id with exactly its versions, and refuses a plan that saw another running version', async () => {
    const env = { ...demoEnv, COCKPIT_DATA_DIR: temporaryDataDir() };
    const notify = demoServices.find((service) => service.id === 'notify-service')!;
    const older = notify.production;
    const newer = latestVersion(notify);
    const planOlder = await planId(
      env,
      'staging',
      '--services',
      'notify-service',
      '--versions',
      `notify-service=${older}`,
    );
    const planNewer = await planId(
      env,
      'staging',
      '--services',
      'notify-service',
      '--versions',
      `notify-service=${newer}`,
    );
    expect(planOlder.waves.flat()).toEqual([
      expect.objectContaining({ service: 'notify-service', version: older, action: 'deploy', dependsOn: [] }),
    ]);

    const started = await cockpit(env, 'deploy', 'staging', '--plan', planNewer.planId, '--yes');
    expect(started.code, started.stdout + started.stderr).toBe(0);
    expect((await instance('notify-service', 'staging')).version).toBe(newer);

    // The older plan saw notify-service on another version: starting it now is refused, untouched.
    const before = { triggers: triggerCount(), instance: await instance('notify-service', 'staging') };
    const stale = await cockpit(env, 'deploy', 'staging', '--plan', planOlder.planId, '--yes');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`is out of date, nothing was started: notify-service now runs v${newer}`);
    expect(triggerCount()).toBe(before.triggers);
    expect(await instance('notify-service', 'staging')).toEqual(before.instance);
  }, 120_000);
});

describe('a bad version never comes back (demo)', () => {
  it('marks the version a rollback left bad, keeps it out of default plans, and refuses it by name unless allowed', async () => {
    const env = { ...demoEnv, COCKPIT_DATA_DIR: temporaryDataDir() };
    const auth = demoServices.find((service) => service.id === 'auth-service')!;
    const bad = latestVersion(auth);
    const deployAuth = (version: string, ...extra: string[]) =>
      cockpit(
        env,
        'deploy',
        'staging',
        '--services',
        'auth-service',
        '--versions',
        `auth-service=${version}`,
        '--yes',
        ...extra,
      );
    expect((await deployAuth(auth.staging)).code).toBe(0);
    expect((await deployAuth(bad)).code).toBe(0);
    const rollback = await cockpit(
      env,
      'rollback',
      'auth-service',
      '--env',
      'staging',
      '--level',
      '1',
      '--reason',
      'logins fail after v-latest',
      '--yes',
    );
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect((await instance('auth-service', 'staging')).version).toBe(auth.staging);

    // The default staging plan (latest tag) keeps auth-service where it is, saying why.
    const plan = await planId(env, 'staging', '--services', 'auth-service');
    expect(plan.waves.flat()).toEqual([
      expect.objectContaining({
        service: 'auth-service',
        action: 'skip',
        reason: expect.stringContaining(`v${bad} of auth-service is marked bad`),
      }),
    ]);
    expect(plan.waves.flat()[0]!.reason).toContain('logins fail after v-latest');

    // By name it is refused, and nothing is triggered…
    const triggers = triggerCount();
    const refused = await deployAuth(bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`v${bad} of auth-service is marked bad`);
    expect(refused.stderr).toContain('--allow-bad');
    expect(triggerCount()).toBe(triggers);
    // The rollback also holds auth-service in staging: even allowed, it stays out until a person
    // lifts the hold.
    const held = await deployAuth(bad, '--allow-bad', 'fix verified on a canary');
    expect(held.code).toBe(1);
    expect(held.stderr).toContain('auth-service in staging is held by');
    expect(triggerCount()).toBe(triggers);
    const locks = JSON.parse((await cockpit(env, 'locks', '--json')).stdout) as { holds: unknown[] };
    expect(locks.holds).toEqual([
      expect.objectContaining({
        environment: 'staging',
        service: 'auth-service',
        reason: expect.stringContaining('rolled back'),
      }),
    ]);
    const unlocked = await cockpit(env, 'unlock', 'staging', '--service', 'auth-service', '--reason', 'fix is ready');
    expect(unlocked.code, unlocked.stderr).toBe(0);
    // …unless a person allows it with a reason, which is recorded.
    const allowed = await deployAuth(bad, '--allow-bad', 'fix verified on a canary');
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect((await instance('auth-service', 'staging')).version).toBe(bad);
    const ledger = readFileSync(path.join(env.COCKPIT_DATA_DIR, 'ledger', 'penpal-ai-demo', 'ledger.jsonl'), 'utf8');
    expect(ledger).toContain('fix verified on a canary');

    // Production's default target is what staging runs: marked bad, it is kept out there too.
    const production = await planId(env, 'production', '--services', 'auth-service');
    expect(production.waves.flat()[0]).toMatchObject({ action: 'skip', reason: expect.stringContaining('marked bad') });

    // Marked good again, it is proposed again.
    expect((await cockpit(env, 'mark-good', 'auth-service', bad, '--reason', 'the fix is in')).code).toBe(0);
    const again = await planId(env, 'production', '--services', 'auth-service');
    expect(again.waves.flat()[0]).toMatchObject({ action: 'deploy', version: bad });
  }, 180_000);
});

describe('deploy history (demo)', () => {
  it('lists each run with who, versions and status, and prints its log', async () => {
    const env = { ...demoEnv, COCKPIT_DATA_DIR: temporaryDataDir() };
    const frontend = demoServices.find((service) => service.id === 'frontend')!;
    const deployed = await cockpit(
      env,
      'deploy',
      'staging',
      '--services',
      'frontend',
      '--versions',
      `frontend=${frontend.production}`,
      '--yes',
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    const history = await cockpit(env, 'deploy', 'history', 'staging', '--json');
    expect(history.code, history.stderr).toBe(0);
    const { environment, runs } = JSON.parse(history.stdout) as {
      environment: string;
      runs: {
        runId: string;
        status: string;
        startedAt: string;
        finishedAt: string;
        durationMs: number;
        actor: { name: string };
        steps: { service: string; from?: string; to: string; status: string }[];
      }[];
    };
    expect(environment).toBe('staging');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: 'succeeded',
      steps: [{ service: 'frontend', to: frontend.production, status: 'succeeded' }],
    });
    expect(runs[0]!.durationMs).toBeGreaterThan(0);
    const log = await cockpit(env, 'deploy', 'log', runs[0]!.runId);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toContain('[frontend] ');
    expect((await cockpit(env, 'deploy', 'log', 'no-such-run')).code).toBe(1);
  }, 120_000);
});
