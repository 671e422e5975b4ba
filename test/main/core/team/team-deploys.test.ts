/**
 * Two laptops (two data folders, two deploy services) sharing one bare mirror: they race to deploy
 * the same environment with a slow deploy command; a hold placed on one stops the other's deploy
 * after a sync; with the mirror out of reach an unprotected deploy goes on, recorded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployService } from '../../../../src/main/core/deploy/deploy-service';
import { EventBus } from '../../../../src/main/core/event-bus';
import { HealthProber, isLoopbackHost } from '../../../../src/main/core/health/prober';
import { trustedRecords } from '../../../../src/main/core/identity/authority';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { syncLedgerMirror } from '../../../../src/main/core/ledger/mirror';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { HoldBook } from '../../../../src/main/core/policy/holds';
import { teamLocksFor } from '../../../../src/main/core/team/team-lock';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { stagingPlatform } from '../../../helpers/staging-platform';
import { startProbeServer } from '../health/probe-servers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function team() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-team-deploys-'));
  const repo = path.join(root, 'mirror.git');
  execFileSync('git', ['init', '--quiet', '--bare', repo]);
  const api = await startProbeServer('1.0.0');
  closers.push(() => api.close());
  const triggered = path.join(root, 'triggered.txt');
  // A slow deploy: it says it ran, then takes a second and a half.
  const command = `{ provider: command, command: [${JSON.stringify(process.execPath)}, -e, "require('fs').appendFileSync(process.argv[1], 'x'); setTimeout(() => {}, 1500)", ${JSON.stringify(triggered)}] }`;
  const platform = stagingPlatform(
    'team-test',
    [{ id: 'api', url: api.url, deploy: command }],
    `roster:\n  people:\n    - { name: Ana Release, email: ana@example.com, roles: [release-manager] }\n    - { name: Dana DevOps, email: dana@example.com, roles: [devops] }\nledger:\n  mirror: { repo: ${JSON.stringify(repo)} }`,
  );
  const laptop = (name: string, email: string) => {
    const dataDir = temporaryDataDir();
    const actor = { name, email, source: 'roster' as const };
    const ledger = new Ledger({ folder: path.join(dataDir, 'ledger', platform.id), platformId: platform.id, actor });
    const audit = new AuditTrail(ledger, () => undefined);
    const events = new EventBus();
    const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
    closers.push(() => prober.close());
    const finished = new Map<string, string>();
    events.subscribe((channel, payload) => {
      if (channel === 'deploy:finished') {
        const { runId, status } = payload as { runId: string; status: string };
        finished.set(runId, status);
      }
    });
    const deploys = new DeployService({
      platform,
      dataDir,
      prober,
      events,
      redactor: new Redactor(),
      audit,
      teamLocks: teamLocksFor(platform, dataDir, { deadlineMs: 20_000 }),
    });
    const holds = new HoldBook({
      platform,
      audit,
      identity: { name, email },
      trusted: async () => trustedRecords(await ledger.readAll(), platform),
    });
    const sync = () =>
      syncLedgerMirror(ledger, { repo, branch: 'ledger', file: 'team-test.jsonl' }, path.join(dataDir, 'mirror'));
    const untilFinished = async (runId: string) => {
      while (!finished.has(runId)) await new Promise((resolve) => setTimeout(resolve, 50));
      return finished.get(runId);
    };
    return { deploys, ledger, holds, sync, untilFinished, dataDir };
  };
  return {
    repo,
    api,
    ana: laptop('Ana Release', 'ana@example.com'),
    dana: laptop('Dana DevOps', 'dana@example.com'),
    triggeredCount: () => (existsSync(triggered) ? readFileSync(triggered, 'utf8').length : 0),
    platform,
  };
}

describe('one deploy per environment across laptops', () => {
  it('lets exactly one of two laptops deploying at once run; the other triggers nothing and names the holder', async () => {
    const { ana, dana, api, triggeredCount, platform } = await team();
    const [planA, planB] = await Promise.all([
      ana.deploys.plan({ environment: 'staging', versions: { api: '1.1.0' } }),
      dana.deploys.plan({ environment: 'staging', versions: { api: '1.1.0' } }),
    ]);
    const outcomes = await Promise.allSettled([
      ana.deploys.start({ planId: planA.planId }),
      dana.deploys.start({ planId: planB.planId }),
    ]);
    const started = outcomes.flatMap((outcome, index) =>
      outcome.status === 'fulfilled' ? [{ who: index === 0 ? ana : dana, runId: outcome.value.runId }] : [],
    );
    expect(started).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    const winner = started[0]!.who === ana ? 'Ana Release' : 'Dana DevOps';
    expect(refused.reason).toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining(`staging is being deployed by ${winner}`),
    });
    api.version = '1.1.0';
    expect(await started[0]!.who.untilFinished(started[0]!.runId)).toBe('succeeded');
    expect(triggeredCount()).toBe(1);
    // Released at the end: the other laptop may deploy now.
    const loser = started[0]!.who === ana ? dana : ana;
    expect(await teamLocksFor(platform, loser.dataDir)?.list()).toEqual([]);
  }, 60_000);

  it('stops a deploy on one laptop once a hold placed on the other is synced; lifting it lets the deploy go', async () => {
    const { ana, dana, api } = await team();
    await dana.holds.place('staging', 'api', 'payments incident under investigation');
    await dana.sync();
    await ana.sync();
    const plan = await ana.deploys.plan({ environment: 'staging', versions: { api: '1.1.0' } });
    await expect(ana.deploys.start({ planId: plan.planId })).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('api in staging is held by Dana DevOps'),
    });
    await expect(dana.holds.lift('staging', 'api', 'incident closed')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await ana.holds.lift('staging', 'api', 'incident closed');
    const again = await ana.deploys.plan({ environment: 'staging', versions: { api: '1.1.0' } });
    const { runId } = await ana.deploys.start({ planId: again.planId });
    api.version = '1.1.0';
    expect(await ana.untilFinished(runId)).toBe('succeeded');
  }, 60_000);

  it('with the mirror out of reach, an unprotected deploy goes on without the team lock, recorded', async () => {
    const { ana, repo, api } = await team();
    renameSync(repo, `${repo}-away`);
    try {
      const plan = await ana.deploys.plan({ environment: 'staging', versions: { api: '1.1.0' } });
      const { runId } = await ana.deploys.start({ planId: plan.planId });
      api.version = '1.1.0';
      expect(await ana.untilFinished(runId)).toBe('succeeded');
      const override = (await ana.ledger.readAll()).find((record) => record.details?.kind === 'without-team-lock');
      expect(override).toMatchObject({ action: 'override', environment: 'staging', correlationId: runId });
    } finally {
      renameSync(`${repo}-away`, repo);
    }
  }, 60_000);
});
