import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../../../src/main/core/demo/catalog';
import { demoStatus } from '../../../../src/main/core/demo/demo-platform';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { repoRoot, runCockpit } from '../../../helpers/cockpit-cli';

const demoEnv = { ...process.env, COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-deploy-'));
const platform = path.join(dir, 'platform.yaml');

beforeAll(async () => {
  expect((await runCockpit(['demo', 'up', '--dir', dir], demoEnv)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await runCockpit(['demo', 'down', '--dir', dir, '--purge'], demoEnv);
}, 60_000);

/** What each staging instance reports over HTTP (not the cockpit's word). */
async function stagingVersions(): Promise<Record<string, string>> {
  const instances = (await demoStatus(dir)).filter((instance) => instance.environment === 'staging');
  const entries = await Promise.all(
    instances.map(async (instance) => {
      const body = (await (await fetch(`${instance.url}/api/v1/health`)).json()) as { version: string };
      return [instance.service, body.version] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** `cockpit deploy staging --platform <demo> --yes …` with the given data folder. */
function deployStaging(env: NodeJS.ProcessEnv, ...extra: string[]) {
  return runCockpit(['deploy', 'staging', '--platform', platform, '--yes', ...extra], env);
}

function triggers(): { service: string; version: string }[] {
  try {
    return readFileSync(path.join(dir, 'deploys.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {
    return [];
  }
}

function journalOf(dataDir: string) {
  const folder = path.join(dataDir, 'deploys', 'penpal-ai-demo');
  const file = readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .at(-1)!;
  return readFileSync(path.join(folder, file), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** How far the newest deploy journal of a data folder is: its entries, and whether the run finished. */
function journalProgress(dataDir: string): { entries: number; finished: boolean } {
  const folder = path.join(dataDir, 'deploys', 'penpal-ai-demo');
  try {
    const file = readdirSync(folder)
      .filter((name) => name.endsWith('.jsonl'))
      .sort()
      .at(-1);
    const lines = file === undefined ? [] : readFileSync(path.join(folder, file), 'utf8').split('\n').slice(0, -1);
    return { entries: lines.length, finished: lines.at(-1)?.includes('"kind":"run-finished"') ?? false };
  } catch {
    return { entries: 0, finished: false };
  }
}

/**
 * Runs `cockpit <args>` and SIGKILLs it as soon as it has added `entries` entries to the run's
 * journal (unless the run has finished); `killed` is false when it exited on its own first.
 * Polled every 10 ms for as long as the child lives.
 */
function killOnceJournalGrows(entries: number, args: string[], env: NodeJS.ProcessEnv): Promise<{ killed: boolean }> {
  const dataDir = env.COCKPIT_DATA_DIR!;
  const start = journalProgress(dataDir).entries;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'cockpit.js'), ...args], {
      cwd: repoRoot,
      env,
      stdio: 'ignore',
    });
    let killed = false;
    const poll = setInterval(() => {
      const progress = journalProgress(dataDir);
      if (progress.entries < start + entries) return;
      clearInterval(poll);
      if (!progress.finished) killed = child.kill('SIGKILL');
    }, 10);
    child.once('exit', () => {
      clearInterval(poll);
      resolve({ killed });
    });
  });
}

describe('deploying the demo platform (real processes, real HTTP)', () => {
  it('deploys the latest tag of all 7 services to staging; every instance reports its target version', async () => {
    const dataDir = temporaryDataDir();
    const result = await runCockpit(['deploy', 'staging', '--platform', platform, '--yes'], {
      ...demoEnv,
      COCKPIT_DATA_DIR: dataDir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Deploy to staging succeeded.');
    expect(result.stdout).toMatch(/Plan for staging:\n {2}wave 1: db-service v2\.0\.1 → v2\.1\.0; notify-service/);
    const expected = Object.fromEntries(demoServices.map((service) => [service.id, latestVersion(service)]));
    expect(await stagingVersions()).toEqual(expected);

    const ledger = readFileSync(path.join(dataDir, 'ledger', 'penpal-ai-demo', 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(ledger.map((record: { action: string; status: string }) => `${record.action}:${record.status}`)).toEqual([
      'deploy.started:started',
      ...Array(7).fill('deploy.step:succeeded'),
      'deploy.finished:succeeded',
    ]);

    const again = await runCockpit(['deploy', 'staging', '--platform', platform, '--yes'], {
      ...demoEnv,
      COCKPIT_DATA_DIR: dataDir,
    });
    expect(again.code).toBe(0);
    expect(again.stdout.match(/\(skip: already runs/g)).toHaveLength(7);
  }, 120_000);

  it('stops the later waves at the first failure; the ledger and the journal say exactly which steps ran', async () => {
    const dataDir = temporaryDataDir();
    const before = triggers().length;
    const result = await deployStaging(
      { ...demoEnv, COCKPIT_DATA_DIR: dataDir },
      '--services',
      'db-service,auth-service,notify-service,monitoring-service,frontend',
      '--versions',
      'db-service=2.0.1,auth-service=9.9.9,notify-service=1.0.1,monitoring-service=2.0.2,frontend=2.1.0',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('• auth-service: failed — the deploy command exited with code 1');
    expect(result.stdout).toContain('• monitoring-service: not-started — not started: an earlier step failed');
    expect(result.stdout).toContain('• frontend: not-started');
    const triggered = triggers()
      .slice(before)
      .map((trigger) => trigger.service)
      .sort();
    expect(triggered).toEqual(['auth-service', 'db-service', 'notify-service']);
    const journal = journalOf(dataDir);
    const finished = journal
      .filter((entry: { kind: string }) => entry.kind === 'step-finished')
      .map((entry: { service: string; status: string }) => `${entry.service}:${entry.status}`);
    expect(finished.sort()).toEqual(['auth-service:failed', 'db-service:succeeded', 'notify-service:succeeded']);
    expect(journal.at(-1)).toMatchObject({ kind: 'run-finished', status: 'failed' });
    const ledger = readFileSync(path.join(dataDir, 'ledger', 'penpal-ai-demo', 'ledger.jsonl'), 'utf8');
    expect(ledger).toContain('"summary":"auth-service v9.9.9 to staging: the deploy command exited with code 1"');
  }, 120_000);

  it('resumes a run killed with SIGKILL at 20 different points without triggering any step twice', async () => {
    const latest = Object.fromEntries(demoServices.map((service) => [service.id, latestVersion(service)]));
    const older = Object.fromEntries(demoServices.map((service) => [service.id, service.staging]));
    // Chains of kills: each process is killed once it has added a given number of entries to the
    // run's journal (a resume's first is `run-resumed`), the next resume goes on from there, and the
    // last one finishes. Kill points follow the run's progress, not the clock, so a slow machine
    // still kills between intent, trigger and verification. Each chain starts one entry later than
    // the one before and kills every process after two entries, until 20 kills happened (a chain
    // holds about ten): some 22 processes instead of a deploy and a resume per point.
    const wanted = 20;
    let points = 0;
    for (let chain = 0; chain < 4 && points < wanted; chain++) {
      const dataDir = temporaryDataDir();
      const env = { ...demoEnv, COCKPIT_DATA_DIR: dataDir };
      // Every service moves (to whichever of its two versions it is not on), so every step runs.
      const running = await stagingVersions();
      const target = Object.fromEntries(
        demoServices.map((service) => [
          service.id,
          running[service.id] === latest[service.id] ? older[service.id] : latest[service.id],
        ]),
      );
      const versions = Object.entries(target)
        .map(([service, version]) => `${service}=${version}`)
        .join(',');
      const before = triggers().length;
      const resume = ['deploy', 'staging', '--platform', platform, '--resume', 'latest', '--yes'];
      let args = ['deploy', 'staging', '--platform', platform, '--yes', '--versions', versions];
      for (let kill = 0; kill < 15 && points < wanted; kill++) {
        const { killed } = await killOnceJournalGrows(args === resume ? 2 : chain + 1, args, env);
        if (!killed) break;
        points++;
        args = resume;
      }
      const resumed = await runCockpit(resume, env);
      if (resumed.stderr.includes('no interrupted run')) {
        // The last kill came just after the run finished.
        expect(journalOf(dataDir).at(-1), `chain ${chain}`).toMatchObject({
          kind: 'run-finished',
          status: 'succeeded',
        });
      } else {
        expect(resumed.code, `chain ${chain}: ${resumed.stdout}${resumed.stderr}`).toBe(0);
      }
      expect(await stagingVersions(), `chain ${chain}`).toEqual(target);
      const counts = new Map<string, number>();
      for (const trigger of triggers().slice(before))
        counts.set(trigger.service, (counts.get(trigger.service) ?? 0) + 1);
      expect(counts.size, `chain ${chain}: services triggered`).toBeGreaterThan(0);
      for (const [service, count] of counts)
        expect(count, `chain ${chain}: ${service} triggered ${count} times`).toBe(1);
    }
    expect(points, 'kills before a run finished').toBe(wanted);
  }, 400_000);

  it('rolls a service back to its previous stable version (level 1), checked over HTTP, every step in the ledger', async () => {
    const dataDir = temporaryDataDir();
    const env = { ...demoEnv, COCKPIT_DATA_DIR: dataDir };
    const auth = demoServices.find((service) => service.id === 'auth-service')!;
    const deployAuth = (version: string) =>
      deployStaging(env, '--services', 'auth-service', '--versions', `auth-service=${version}`);
    await deployAuth(auth.staging);
    expect((await deployAuth(latestVersion(auth))).code).toBe(0);
    expect((await stagingVersions())['auth-service']).toBe(latestVersion(auth));

    const result = await runCockpit(
      ['rollback', 'auth-service', '--env', 'staging', '--level', '1', '--platform', platform, '--yes'],
      env,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`✓ auth-service: v${latestVersion(auth)} → v${auth.staging} (previous stable)`);
    expect(result.stdout).toContain('Level 1 rollback of auth-service in staging succeeded');
    expect((await stagingVersions())['auth-service']).toBe(auth.staging);
    const ledger = readFileSync(path.join(dataDir, 'ledger', 'penpal-ai-demo', 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; status: string; details?: { step?: string } });
    expect(
      ledger
        .filter((record) => record.action === 'rollback.step')
        .map((record) => `${record.details?.step}:${record.status}`),
    ).toEqual([
      'choose:started',
      'choose:succeeded',
      'redeploy:started',
      'redeploy:succeeded',
      'verify:started',
      'verify:succeeded',
    ]);

    // With no earlier deploy in the ledger, it says what to do instead of guessing.
    const fresh = await runCockpit(
      ['rollback', 'auth-service', '--env', 'staging', '--level', '1', '--platform', platform, '--yes'],
      { ...demoEnv, COCKPIT_DATA_DIR: temporaryDataDir() },
    );
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toContain('No earlier successful deploy of auth-service to staging is in the ledger');
  }, 120_000);

  it('writes the data folder and the demo for this user only: no file or folder open to group or others', async () => {
    const dataDir = temporaryDataDir();
    const env = { ...demoEnv, COCKPIT_DATA_DIR: dataDir };
    const deploy = await deployStaging(env, '--services', 'frontend', '--versions', 'frontend=2.0.0');
    expect(deploy.code, deploy.stderr).toBe(0);
    expect((await runCockpit(['ledger', 'export', '--platform', platform], env)).code).toBe(0);
    const month = new Date().toISOString().slice(0, 7);
    const report = await runCockpit(
      ['report', month, '--platform', platform, '--no-pdf', '--out', path.join(dataDir, 'reports')],
      env,
    );
    expect(report.code, report.stderr).toBe(0);
    const open: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const full = path.join(folder, entry.name);
        if (entry.isSymbolicLink()) continue;
        if ((lstatSync(full).mode & 0o077) !== 0) open.push(`${full} ${(lstatSync(full).mode & 0o777).toString(8)}`);
        if (entry.isDirectory()) walk(full);
      }
    };
    walk(dataDir);
    walk(dir);
    expect(open).toEqual([]);
    expect(readdirSync(path.join(dataDir, 'reports')).length).toBeGreaterThan(0);
  }, 120_000);
});
