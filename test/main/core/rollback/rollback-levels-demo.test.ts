/**
 * Levels 2 and 3 walked on the real demo platform: real repositories and bare origins, real
 * service processes, the demo's real data folders. Each test checks the services over HTTP, the
 * repositories with git and the data on disk — not the cockpit's word.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../../../src/main/core/demo/catalog';
import { demoCheckData, demoStatus } from '../../../../src/main/core/demo/demo-platform';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { createProviderFactory } from '../../../../src/main/core/deploy/provider-factory';
import { runGit } from '../../../../src/main/core/git/hardened-git';
import { ManagedRepos, withManagedRepos } from '../../../../src/main/core/git/managed-repos';
import { HealthProber } from '../../../../src/main/core/health/prober';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import type { Platform } from '../../../../src/main/core/platform/schema';
import { listBackups } from '../../../../src/main/core/rollback/backups';
import { redeploy } from '../../../../src/main/core/rollback/redeploy';
import { prepareRollback, type RollbackRequest } from '../../../../src/main/core/rollback/rollback-plan';
import { walk, type WalkResult } from '../../../../src/main/core/rollback/step-machine';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { repoRoot, runCockpit } from '../../../helpers/cockpit-cli';

const demoEnv = { ...process.env, COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-rollback-'));
const layout = demoLayout(dir);
const operator = { name: 'Demo Operator', email: 'operator@penpal.example' };
let platform: Platform;
let prober: HealthProber;
/** The data folder of the level 2 tests: its ledger holds a bad deploy and the rollbacks after it. */
let levelTwoDataDir: string;

beforeAll(async () => {
  expect((await runCockpit(['demo', 'up', '--dir', dir], demoEnv)).code).toBe(0);
  const loaded = await loadPlatformFile(layout.platformFile);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  // Whoever runs the test holds every role, as in the demo; the file names the OS user.
  platform = {
    ...loaded.platform,
    roster: {
      ...loaded.platform.roster,
      people: [...loaded.platform.roster.people, { ...operator, roles: ['devops'], signingKeys: [] }],
    },
  };
  prober = new HealthProber({ timeoutMs: 2_000 });
}, 120_000);

afterAll(async () => {
  await prober?.close();
  await runCockpit(['demo', 'down', '--dir', dir, '--purge'], demoEnv);
}, 60_000);

function auditIn(dataDir: string) {
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', platform.id),
    platformId: platform.id,
    actor: { name: operator.name, email: operator.email, source: 'git' },
  });
  return new AuditTrail(ledger, () => undefined);
}

/** Walks a rollback as the wizard does; `abandonBefore` stops before that step. */
async function runRollback(request: RollbackRequest, dataDir: string, abandonBefore?: string) {
  const audit = auditIn(dataDir);
  const runId = `rollback-test-${randomUUID().slice(0, 8)}`;
  const prepared = prepareRollback(request, {
    platform,
    prober,
    records: await audit.ledger.readAll(),
    dataDir,
    audit,
    providers: createProviderFactory(),
    runId,
    identity: operator,
    healthTimeoutMs: 20_000,
  });
  const lines: string[] = [];
  let next: string | undefined;
  const result: WalkResult = await walk({
    level: prepared.level,
    service: request.service,
    environment: request.environment,
    steps: prepared.steps,
    context: prepared.context,
    audit,
    correlationId: runId,
    log: (text) => lines.push(...text.split('\n').filter(Boolean)),
    onProgress: (steps) => (next = steps.find((step) => step.state === 'pending')?.id),
    isAbandoned: () => abandonBefore !== undefined && next === abandonBefore,
    cleanup: prepared.cleanup,
  });
  const records = (await audit.ledger.readAll()).filter((record) => record.correlationId === runId);
  return { result, lines, records, stepIds: prepared.steps.map((step) => step.id) };
}

async function productionInstances() {
  const instances = (await demoStatus(dir)).filter((instance) => instance.environment === 'production');
  return Object.fromEntries(instances.map((instance) => [instance.service, instance]));
}

/** What a production instance reports over HTTP. */
async function reportedVersion(service: string): Promise<string | undefined> {
  const instance = (await productionInstances())[service];
  try {
    const response = await fetch(`${instance!.url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
    return ((await response.json()) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Every `rollback.step` record ends: each started step has its end, and a stop says where. */
function isLedgerComplete(records: { action: string; status: string; details?: Record<string, unknown> }[]) {
  const open = new Map<string, number>();
  for (const record of records.filter((candidate) => candidate.action === 'rollback.step')) {
    const key = `${String(record.details?.step)}${record.details?.undo ? ':undo' : ''}`;
    if (record.status === 'started') open.set(key, (open.get(key) ?? 0) + 1);
    else if (record.status !== 'cancelled') open.set(key, (open.get(key) ?? 0) - 1);
  }
  return [...open.values()].every((count) => count === 0);
}

describe('level 3: restore the database from a backup (demo)', () => {
  const dataFolder = layout.data('production');

  const corrupt = () => writeFileSync(path.join(dataFolder, 'users.json'), '[{"id":"u1","email":"garbage"}]\n');

  it('stops the dependents in reverse order, restores the chosen backup, restarts in order and verifies the data', async () => {
    const backups = await listBackups(platform, 'production');
    expect(backups).toHaveLength(3);
    expect(backups.every((backup) => backup.sizeBytes > 0)).toBe(true);
    const chosen = backups[1]!;
    corrupt();
    expect(await demoCheckData(dir, 'production')).not.toEqual([]);
    const before = await productionInstances();

    const { result, lines, records } = await runRollback(
      {
        level: 3,
        service: 'auth-service',
        environment: 'production',
        backup: chosen.id,
        confirmation: 'production',
      },
      temporaryDataDir(),
    );
    expect(result.status, JSON.stringify(result)).toBe('succeeded');

    const affected = ['db-service', 'auth-service', 'payment-service', 'ai-service', 'monitoring-service', 'frontend'];
    const order = (verb: string) =>
      lines.filter((line) => line.startsWith(`${verb} `)).map((line) => line.slice(verb.length + 1));
    expect(order('Stopping')).toEqual([...affected].reverse());
    expect(order('Starting')).toEqual(affected);
    // The data is the backup's, byte for byte, and passes the platform's integrity check.
    expect(await demoCheckData(dir, 'production')).toEqual([]);
    expect(readFileSync(path.join(dataFolder, 'users.json'), 'utf8')).toBe(
      readFileSync(path.join(chosen.path, 'users.json'), 'utf8'),
    );
    // Every affected service was really restarted (a new process) on its version; notify untouched.
    const after = await productionInstances();
    for (const service of affected) {
      expect(after[service]!.pid).not.toBe(before[service]!.pid);
      expect(await reportedVersion(service)).toBe(before[service]!.version);
    }
    expect(after['notify-service']!.pid).toBe(before['notify-service']!.pid);
    expect(
      records
        .filter((record) => record.action === 'rollback.step')
        .map((record) => `${String(record.details?.step)}:${record.status}`),
    ).toEqual(
      ['backup', 'stop', 'restore', 'restart', 'integrity', 'verify'].flatMap((step) => [
        `${step}:started`,
        `${step}:succeeded`,
      ]),
    );
  }, 120_000);

  it('refuses without the typed environment name or the role, before touching anything', async () => {
    const request = { level: 3 as const, service: 'auth-service', environment: 'production', backup: 'x' };
    await expect(runRollback({ ...request, confirmation: 'prod' }, temporaryDataDir())).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    const saved = platform;
    platform = { ...saved, roster: { ...saved.roster, people: [] } };
    try {
      await expect(runRollback({ ...request, confirmation: 'production' }, temporaryDataDir())).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    } finally {
      platform = saved;
    }
  });

  it('abandoned before any step, leaves every service running on its version and the ledger complete', async () => {
    const steps = ['backup', 'stop', 'restore', 'restart', 'integrity', 'verify'];
    const backup = (await listBackups(platform, 'production'))[0]!;
    for (const step of steps) {
      const before = await productionInstances();
      const dataBefore = readFileSync(path.join(dataFolder, 'users.json'), 'utf8');
      const { result, records } = await runRollback(
        { level: 3, service: 'db-service', environment: 'production', backup: backup.id, confirmation: 'Production' },
        temporaryDataDir(),
        step,
      );
      expect(result.status, step).toBe('abandoned');
      const after = await productionInstances();
      for (const service of demoServices.map((candidate) => candidate.id)) {
        expect(after[service]!.isRunning, `${service} after abandoning before ${step}`).toBe(true);
        expect(await reportedVersion(service)).toBe(before[service]!.version);
      }
      // Before the restore ran, the data is untouched; what is left to do says so.
      if (steps.indexOf(step) <= steps.indexOf('restore'))
        expect(readFileSync(path.join(dataFolder, 'users.json'), 'utf8')).toBe(dataBefore);
      expect(isLedgerComplete(records), step).toBe(true);
      expect(records.at(-1)?.status === 'cancelled' || records.some((record) => record.details?.undo)).toBe(true);
      expect(result.leftToDo.length, step).toBe(steps.length - steps.indexOf(step));
    }
  }, 240_000);
});

describe('level 2: revert the bad commit, release a patch, deploy it (demo)', () => {
  const service = 'notify-service';
  const definition = demoServices.find((candidate) => candidate.id === service)!;
  const bad = latestVersion(definition);
  const good = definition.production;
  const origin = layout.origin(service);
  const work = layout.work(service);
  const originGit = (...args: string[]) => runGit(args, { cwd: origin });
  const workGit = (...args: string[]) => runGit(args, { cwd: work });
  let dataDir: string;
  let originalMain: string;
  let workHead: string;

  beforeAll(async () => {
    // Production moves from the good version to the latest (the bad one); the ledger keeps it.
    dataDir = temporaryDataDir();
    levelTwoDataDir = dataDir;
    await deployBad('deploy-bad', 'the release that went bad', { audit: auditIn(dataDir), running: good });
    originalMain = (await originGit('rev-parse', 'refs/heads/main')).trim();
    workHead = (await workGit('rev-parse', 'HEAD')).trim();
  }, 60_000);

  /** Puts origin, the work clone and production back as they were before a level 2. */
  async function resetFixture(patch: string) {
    await originGit('update-ref', 'refs/heads/main', originalMain);
    await originGit('tag', '-d', `v${patch}`).catch(() => undefined);
    await workGit('tag', '-d', `v${patch}`).catch(() => undefined);
    await workGit('update-ref', 'refs/heads/main', originalMain);
    await workGit('update-ref', 'refs/remotes/origin/main', originalMain);
    if ((await reportedVersion(service)) !== bad)
      await deployBad(`reset-${randomUUID().slice(0, 6)}`, 'test fixture reset');
  }

  /** Deploys the bad version to production through the deploy engine (recorded when `audit` is given). */
  async function deployBad(runId: string, reason: string, extra: { audit?: AuditTrail; running?: string } = {}) {
    const target = {
      platform,
      service,
      environment: 'production',
      prober,
      dataDir,
      providers: createProviderFactory(),
    };
    const outcome = await redeploy({ ...target, runId, ...extra }, bad, reason, () => undefined);
    expect(outcome.ok, outcome.detail).toBe(true);
  }

  /** The user's checkout is as it was: same branch and commit, clean, one worktree. */
  async function expectCheckoutUntouched() {
    expect((await workGit('rev-parse', 'HEAD')).trim()).toBe(workHead);
    expect((await workGit('status', '--porcelain')).trim()).toBe('');
    expect((await workGit('worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);
  }

  const lastChange = async () => {
    const log = await originGit('log', '--format=%H %s', `v${good}..v${bad}`);
    return log
      .trim()
      .split('\n')
      .map((line) => ({ hash: line.slice(0, 40), subject: line.slice(41) }))
      .filter((commit) => !commit.subject.startsWith('chore(release)'));
  };

  /** Walks a level 2 reverting the newest change; origin's main is then the patch on top of the revert. */
  async function revertNewest() {
    const [newest] = await lastChange();
    const patch = bad.replace(/\d+$/, (digits) => String(Number(digits) + 1));
    const { result, lines, records } = await runRollback(
      { level: 2, service, environment: 'production', commits: [newest!.hash.slice(0, 10)] },
      dataDir,
    );
    expect(result.status, JSON.stringify(result)).toBe('succeeded');
    // Origin: main = chore(release) on top of the revert, tagged; the revert undid the commit.
    expect((await originGit('log', '--format=%s', '-2', 'refs/heads/main')).trim().split('\n')).toEqual([
      `chore(release): v${patch}`,
      `Revert "${newest!.subject}"`,
    ]);
    return { newest, patch, lines, records };
  }

  it('reverts the chosen commit on main, tags the patch, deploys it and verifies it over HTTP', async () => {
    const { newest, patch, lines, records } = await revertNewest();
    expect((await originGit('rev-parse', `refs/tags/v${patch}^{commit}`)).trim()).toBe(
      (await originGit('rev-parse', 'refs/heads/main')).trim(),
    );
    const changes = await originGit('show', `v${patch}:CHANGES.md`);
    expect(changes).not.toContain(newest!.subject);
    expect(JSON.parse(await originGit('show', `v${patch}:package.json`)).version).toBe(patch);
    // The diff was shown; production runs the patch; the user's checkout was never touched.
    expect(lines.some((line) => line.startsWith('-- ') && line.includes(newest!.subject))).toBe(true);
    expect(await reportedVersion(service)).toBe(patch);
    await expectCheckoutUntouched();
    expect(
      records
        .filter((record) => record.action === 'rollback.step')
        .map((record) => `${String(record.details?.step)}:${record.status}`),
    ).toEqual(
      ['choose', 'revert', 'release', 'push', 'ci', 'deploy', 'verify'].flatMap((step) => [
        `${step}:started`,
        `${step}:succeeded`,
      ]),
    );
    await resetFixture(patch);
  }, 120_000);

  it('works on a clone the cockpit manages when the service names only its repo.url', async () => {
    const patch = bad.replace(/\d+$/, (digits) => String(Number(digits) + 1));
    const saved = platform;
    const urlOnly = {
      ...saved,
      services: saved.services.map((candidate) =>
        candidate.id === service
          ? { ...candidate, repo: { ...candidate.repo, path: undefined, url: origin } }
          : candidate,
      ),
    };
    platform = withManagedRepos(urlOnly, dataDir);
    try {
      const managed = new ManagedRepos({ platform, dataDir });
      const folder = await managed.folderOf(service);
      expect(folder).toBe(path.join(dataDir, 'repos', platform.id, service));
      await revertNewest();
      expect(await reportedVersion(service)).toBe(patch);
      // The user's own checkout was never read or touched: the managed clone did the work.
      await expectCheckoutUntouched();
    } finally {
      platform = saved;
    }
    await resetFixture(patch);
  }, 120_000);

  it('refuses a repository whose own config would run a program, before reading or pushing anything', async () => {
    const [newest] = await lastChange();
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-level2-poison-')), 'ran');
    execFileSync('git', ['-C', work, 'config', 'core.sshCommand', `touch ${marker}`]);
    try {
      const { result } = await runRollback(
        { level: 2, service, environment: 'production', commits: [newest!.hash.slice(0, 10)] },
        dataDir,
      );
      expect(result.status).toBe('failed');
      expect(result.steps.find((step) => step.id === 'choose')!.detail).toContain('sets core.sshcommand');
      expect(existsSync(marker)).toBe(false);
      expect((await originGit('rev-parse', 'refs/heads/main')).trim()).toBe(originalMain);
      expect(await reportedVersion(service)).toBe(bad);
    } finally {
      execFileSync('git', ['-C', work, 'config', '--unset', 'core.sshCommand']);
    }
  }, 60_000);

  it('stops on a conflict with nothing pushed, the checkout clean and the steps to finish by hand', async () => {
    const changes = await lastChange();
    const older = changes.at(-1)!; // an earlier change to CHANGES.md: later ones touch the same lines
    expect(changes.length).toBeGreaterThan(1);
    const { result } = await runRollback(
      { level: 2, service, environment: 'production', commits: [older.hash] },
      dataDir,
    );
    expect(result.status).toBe('failed');
    const revert = result.steps.find((step) => step.id === 'revert')!;
    expect(revert.state).toBe('failed');
    expect(revert.detail).toContain('conflicts in CHANGES.md');
    expect(revert.detail).toContain('Nothing was pushed');
    expect(revert.detail).toContain(`git revert ${older.hash.slice(0, 12)}`);
    expect((await originGit('rev-parse', 'refs/heads/main')).trim()).toBe(originalMain);
    expect(await reportedVersion(service)).toBe(bad);
    await expectCheckoutUntouched();
  }, 60_000);

  it('refuses a commit outside the bad range, naming the ones it may revert', async () => {
    const scaffold = (await originGit('rev-list', '--max-parents=0', 'refs/heads/main')).trim();
    const { result } = await runRollback(
      { level: 2, service, environment: 'production', commits: [scaffold] },
      dataDir,
    );
    expect(result.steps[0]).toMatchObject({ id: 'choose', state: 'failed' });
    expect(result.steps[0]!.detail).toContain(`is not one of the commits of v${good}..v${bad}`);
  }, 30_000);

  it('abandoned before any step: the checkout clean, the services running, the ledger complete', async () => {
    const [newest] = await lastChange();
    const patch = bad.replace(/\d+$/, (digits) => String(Number(digits) + 1));
    const steps = ['choose', 'revert', 'release', 'push', 'ci', 'deploy', 'verify'];
    for (const step of steps) {
      const { result, records } = await runRollback(
        { level: 2, service, environment: 'production', commits: [newest!.hash] },
        dataDir,
        step,
      );
      expect(result.status, step).toBe('abandoned');
      await expectCheckoutUntouched();
      const isPushed = steps.indexOf(step) > steps.indexOf('push');
      const main = (await originGit('rev-parse', 'refs/heads/main')).trim();
      expect(main === originalMain, `origin main unchanged when abandoned before ${step}`).toBe(!isPushed);
      expect(await reportedVersion(service)).toBe(steps.indexOf(step) > steps.indexOf('deploy') ? patch : bad);
      for (const instance of Object.values(await productionInstances())) expect(instance.isRunning).toBe(true);
      expect(isLedgerComplete(records), step).toBe(true);
      expect(records.at(-1)).toMatchObject({ action: 'rollback.finished', status: 'cancelled' });
      expect(records.filter((record) => record.action === 'rollback.step').at(-1)?.status).toBe('cancelled');
      expect(result.leftToDo[0], step).toBeTruthy();
      await resetFixture(patch);
    }
  }, 240_000);
});

describe('cockpit rollback from the command line (demo)', () => {
  it('restores staging from a backup with --level 3 --backup --confirm --yes, printing each step', async () => {
    const backups = await listBackups(platform, 'staging');
    writeFileSync(path.join(layout.data('staging'), 'payments.json'), '[]\n');
    expect(await demoCheckData(dir, 'staging')).not.toEqual([]);
    const env = { ...demoEnv, COCKPIT_DATA_DIR: temporaryDataDir() };
    const result = await runCockpit(
      [
        'rollback',
        'payment-service',
        '--env',
        'staging',
        '--level',
        '3',
        '--platform',
        layout.platformFile,
        '--backup',
        backups.at(-1)!.id,
        '--confirm',
        'staging',
        '--yes',
      ],
      env,
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Level 3 rollback of payment-service in staging (target: under 60 min).');
    expect(result.stdout).toContain('→ Stop the services that use the data: Stops frontend, monitoring-service');
    expect(result.stdout).toContain('✓ 1 check passed');
    expect(result.stdout).toContain('Level 3 rollback of payment-service in staging succeeded');
    expect(await demoCheckData(dir, 'staging')).toEqual([]);
  }, 120_000);

  it('says what is missing instead of guessing when run with --yes', async () => {
    const env = { ...demoEnv, COCKPIT_DATA_DIR: temporaryDataDir() };
    const base = ['rollback', 'db-service', '--env', 'staging', '--platform', layout.platformFile, '--yes'];
    const noBackup = await runCockpit([...base, '--level', '3', '--confirm', 'staging'], env);
    expect(noBackup.code).toBe(2);
    expect(noBackup.stdout).toContain('Backups of staging:');
    expect(noBackup.stderr).toContain('level 3 needs --backup <id>.');
    const noConfirmation = await runCockpit([...base, '--level', '3', '--backup', 'anything'], env);
    expect(noConfirmation.code).toBe(2);
    expect(noConfirmation.stderr).toContain('level 3 needs --confirm staging');
    const wrongConfirmation = await runCockpit([...base, '--level', '3', '--backup', 'x', '--confirm', 'prod'], env);
    expect(wrongConfirmation.code).toBe(2);
    expect(wrongConfirmation.stderr).toContain(`type the environment's name ("staging") to confirm`);
    const noCommit = await runCockpit([...base, '--level', '2'], env);
    expect(noCommit.code).toBe(2);
    expect(noCommit.stderr).toContain('level 2 needs --commit <sha>');
    const badCommit = await runCockpit([...base, '--level', '2', '--commit=--upload-pack=touch'], env);
    expect(badCommit.code).toBe(2);
    expect(badCommit.stderr).toContain('is not a commit hash');
    const badLevel = await runCockpit([...base, '--level', '4'], env);
    expect(badLevel.code).toBe(2);
  }, 60_000);
});

describe('the monthly compliance report of the demo platform', () => {
  it('is written as Markdown, HTML and a PDF printed by headless Chromium; its first page saved as a PNG', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const out = path.join(repoRoot, 'test-results', 'report');
    const result = await runCockpit(['report', month, '--platform', layout.platformFile, '--out', out], {
      ...demoEnv,
      COCKPIT_DATA_DIR: levelTwoDataDir,
    });
    expect(result.code, result.stderr).toBe(0);
    const base = path.join(out, `penpal-ai-demo-report-${month}`);
    const markdown = readFileSync(`${base}.md`, 'utf8');
    expect(markdown).toContain(`# Penpal AI (demo) — compliance report, ${month}`);
    // The level 2 rollback's patch is a release; the rollback an incident with its outcome.
    expect(markdown).toMatch(/\| notify-service \| v\d+\.\d+\.\d+/);
    expect(markdown).toMatch(/\| notify-service \| production \| 2 \| succeeded \| \d+ min \|/);
    expect(markdown).toContain('## Delivery in production');
    expect(markdown).toContain('| Deployment success rate |');
    const pdf = readFileSync(`${base}.pdf`);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    execFileSync('pdftoppm', [
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-r',
      '60',
      `${base}.pdf`,
      path.join(out, 'report-first-page'),
    ]);
    const png = readdirSync(out).find((name) => name.startsWith('report-first-page') && name.endsWith('.png'));
    expect(png, 'the first page rendered as a PNG').toBeDefined();
    expect(readFileSync(path.join(out, png!)).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);
});
