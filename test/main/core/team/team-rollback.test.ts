/**
 * A rollback while the team's mirror is out of reach: it is walked to the end all the same, the
 * status says what is left to share, and once the mirror answers again the rollback's records (and
 * the hold it placed) reach the rest of the team.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../src/shared/contract';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { syncLedgerMirror } from '../../../../src/main/core/ledger/mirror';
import { holdsOf } from '../../../../src/main/core/policy/holds';
import { buildStartedCockpit, temporaryDataDir } from '../../../helpers/cockpit-builder';
import { startProbeServer } from '../health/probe-servers';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('a rollback with the team offline', () => {
  it('goes on, says what is left to share, and its records and hold reach the team later', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-team-rollback-'));
    const repo = path.join(root, 'mirror.git');
    execFileSync('git', ['init', '--quiet', '--bare', repo]);
    const api = await startProbeServer('2.0.0');
    stops.push(() => api.close());
    const marker = path.join(root, 'deployed.txt');
    const deploy = `{ provider: command, command: [${JSON.stringify(process.execPath)}, -e, "require('fs').writeFileSync(process.argv[1], process.argv[2])", ${JSON.stringify(marker)}, "{version}"] }`;
    const platformFile = path.join(root, 'team.yaml');
    writeFileSync(
      platformFile,
      `version: 1
id: team-rollback
name: Team rollback
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
  - id: api
    name: api
    repo: { url: https://git.example.com/api.git }
    environments:
      production: { url: "${api.url}", deploy: ${deploy} }
roster:
  people:
    - { name: On Call, email: oncall@example.com, roles: [devops] }
ledger:
  mirror: { repo: ${JSON.stringify(repo)} }
`,
    );
    renameSync(repo, `${repo}-away`);
    const { cockpit } = await buildStartedCockpit({ platformFile });
    stops.push(() => cockpit.stop());
    const progress: EventPayload<'rollback:progress'>[] = [];
    cockpit.events.subscribe((channel, payload) => {
      if (channel === 'rollback:progress') progress.push(payload as EventPayload<'rollback:progress'>);
    });
    const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
      const reply = await cockpit.dispatch(channel, payload);
      if (!reply.ok) throw new Error(`${channel}: ${JSON.stringify(reply.error)}`);
      return reply.value as T;
    };
    await expect.poll(async () => (await call<{ offlineSince?: string }>('team:status')).offlineSince).toBeDefined();

    const { rollbackId } = await call<{ rollbackId: string }>('rollback:start', {
      level: 1,
      service: 'api',
      environment: 'production',
      to: '1.0.0',
      reason: 'checkout errors',
    });
    await expect.poll(() => progress.at(-1)?.awaiting?.stepId, { timeout: 15_000 }).toBe('redeploy');
    await call('rollback:decide', { rollbackId, decision: 'continue' });
    api.version = '1.0.0';
    await expect.poll(() => progress.at(-1)?.status, { timeout: 30_000 }).toBe('succeeded');

    const offline = await call<{ offlineSince?: string; toShare: number }>('team:sync');
    expect(offline.offlineSince).toBeDefined();
    expect(offline.toShare).toBeGreaterThan(0);

    renameSync(`${repo}-away`, repo);
    expect(await call('team:sync')).toMatchObject({ toShare: 0, lastSyncedAt: expect.any(String) });
    expect(await call('team:sync')).not.toHaveProperty('offlineSince');

    // Another laptop syncing now sees the rollback and the hold it left on the service.
    const elsewhere = temporaryDataDir();
    const theirs = new Ledger({
      folder: path.join(elsewhere, 'ledger', 'team-rollback'),
      platformId: 'team-rollback',
      actor: { name: 'Dana DevOps', source: 'git' },
    });
    await syncLedgerMirror(
      theirs,
      { repo, branch: 'ledger', file: 'team-rollback.jsonl' },
      path.join(elsewhere, 'mirror'),
    );
    const records = await theirs.readAll();
    expect(records.filter((record) => record.correlationId === rollbackId).map((record) => record.action)).toEqual(
      expect.arrayContaining(['rollback.step', 'version.marked-bad', 'hold.placed', 'rollback.finished']),
    );
    expect(holdsOf(records)).toMatchObject([
      { environment: 'production', service: 'api', reason: expect.stringContaining('checkout errors') },
    ]);
  }, 120_000);
});
