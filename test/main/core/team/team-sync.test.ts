/**
 * The app's sync with the team's mirror: in step after a good sync, offline with the records left to
 * share when the mirror is away, in step again once it is back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { TeamLocks } from '../../../../src/main/core/team/team-lock';
import { TeamSync, type TeamSyncState } from '../../../../src/main/core/team/team-sync';
import { stepEntry } from '../ledger/ledger-builder';

describe('syncing with the team', () => {
  it('says when it last synced, and since when it is offline with how many records to share', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-team-sync-'));
    const repo = path.join(root, 'mirror.git');
    execFileSync('git', ['init', '--quiet', '--bare', repo]);
    const ledger = new Ledger({
      folder: path.join(root, 'ledger'),
      platformId: 'penpal-ai',
      actor: { name: 'Ana', source: 'git' },
    });
    let now = Date.parse('2026-12-02T14:00:00Z');
    const seen: TeamSyncState[] = [];
    const sync = new TeamSync({
      ledger,
      mirror: { repo, branch: 'ledger', file: 'penpal-ai.jsonl' },
      workFolder: path.join(root, 'clone'),
      clock: () => new Date(now),
      onChanged: (state) => seen.push(state),
    });
    await ledger.append([stepEntry(1)]);
    expect(await sync.sync()).toEqual({ isConfigured: true, lastSyncedAt: '2026-12-02T14:00:00.000Z', toShare: 0 });

    renameSync(repo, `${repo}-away`);
    now += 60_000;
    await ledger.append([stepEntry(2), stepEntry(3)]);
    const offline = await sync.sync();
    expect(offline).toMatchObject({
      lastSyncedAt: '2026-12-02T14:00:00.000Z',
      offlineSince: '2026-12-02T14:01:00.000Z',
      toShare: 2,
      problem: expect.any(String),
    });
    now += 60_000;
    expect((await sync.sync()).offlineSince).toBe('2026-12-02T14:01:00.000Z');

    renameSync(`${repo}-away`, repo);
    expect(await sync.sync()).toEqual({ isConfigured: true, lastSyncedAt: '2026-12-02T14:02:00.000Z', toShare: 0 });
    expect(seen).toHaveLength(4);

    // Every laptop learns at each sync who deploys where (a live team lock on the mirror).
    const locks = new TeamLocks({
      repo,
      platformId: 'penpal-ai',
      folder: path.join(root, 'locks.git'),
      leaseSeconds: 120,
      clock: () => new Date(now),
    });
    const withLocks = new TeamSync({
      ledger,
      mirror: { repo, branch: 'ledger', file: 'penpal-ai.jsonl' },
      workFolder: path.join(root, 'clone'),
      clock: () => new Date(now),
      readDeployLocks: () => locks.list(),
    });
    const held = await locks.take('production', { name: 'Dana DevOps' }, 'run-7');
    expect((await withLocks.sync()).deployLocks).toEqual([
      expect.objectContaining({ environment: 'production', holder: { name: 'Dana DevOps' }, runId: 'run-7' }),
    ]);
    await held.release();
    expect((await withLocks.sync()).deployLocks).toEqual([]);
    // Two calls at once share one sync.
    const [first, second] = [sync.sync(), sync.sync()];
    expect(first).toBe(second);
    await first;
  });
});
