import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../../src/main/core/identity/authority';
import { mergeChains, readChain, seal } from '../../../../src/main/core/ledger/chain';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { compareWithMirror, syncLedgerMirror, type MirrorSettings } from '../../../../src/main/core/ledger/mirror';
import { stepEntry } from './ledger-builder';

function bareRepo(): string {
  const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-mirror-')), 'ledger-mirror.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', folder]);
  return folder;
}

/** One laptop: its own data folder, ledger and clone of the mirror; clocks tick independently. */
function laptop(name: string, startAt: number) {
  const root = mkdtempSync(path.join(os.tmpdir(), `cockpit-laptop-${name}-`));
  let now = startAt;
  const ledger = new Ledger({
    folder: path.join(root, 'ledger'),
    platformId: 'penpal-ai',
    actor: { name, source: 'os' },
    clock: () => new Date((now += 1_000)),
  });
  return { ledger, clone: path.join(root, 'mirror') };
}

const settings = (repo: string): MirrorSettings => ({ repo, branch: 'ledger', file: 'penpal-ai.jsonl' });

describe('mirroring the ledger through git', () => {
  it('merges two clones that appended independently into one valid chain holding every record', async () => {
    const repo = bareRepo();
    const alice = laptop('alice', Date.parse('2026-11-24T10:00:00Z'));
    const bob = laptop('bob', Date.parse('2026-11-24T10:00:30Z'));

    await alice.ledger.append([stepEntry(1), stepEntry(2)]);
    expect(await syncLedgerMirror(alice.ledger, settings(repo), alice.clone)).toMatchObject({
      received: 0,
      sent: 2,
      total: 2,
    });

    // Both laptops now append without syncing: their chains fork after the shared records.
    await bob.ledger.append([stepEntry(3)]);
    expect(await syncLedgerMirror(bob.ledger, settings(repo), bob.clone)).toMatchObject({ received: 2, total: 3 });
    await alice.ledger.append([stepEntry(4)]);
    await bob.ledger.append([stepEntry(5), stepEntry(6)]);
    await alice.ledger.append([stepEntry(7)]);
    await syncLedgerMirror(alice.ledger, settings(repo), alice.clone);
    await syncLedgerMirror(bob.ledger, settings(repo), bob.clone);
    await syncLedgerMirror(alice.ledger, settings(repo), alice.clone);

    const [aliceRecords, bobRecords] = [await alice.ledger.readAll(), await bob.ledger.readAll()];
    expect(aliceRecords).toHaveLength(7);
    expect(aliceRecords.map((record) => record.hash)).toEqual(bobRecords.map((record) => record.hash));
    expect(await alice.ledger.verify()).toMatchObject({ isValid: true, recordCount: 7 });
    expect(await bob.ledger.verify()).toMatchObject({ isValid: true, recordCount: 7 });
    expect(aliceRecords.map((record) => record.details?.attempt).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const mirrored = execFileSync('git', ['--git-dir', repo, 'show', 'ledger:penpal-ai.jsonl'], { encoding: 'utf8' });
    const reading = readChain(mirrored);
    expect(reading.verification.isValid).toBe(true);
    expect(reading.records.map((record) => record.hash)).toEqual(aliceRecords.map((record) => record.hash));
    const log = execFileSync('git', ['--git-dir', repo, 'log', '--format=%s', 'ledger'], { encoding: 'utf8' });
    expect(log.split('\n')[0]).toMatch(/^ledger: 7 records, head [0-9a-f]{12}$/);
  });

  it('refuses to merge a mirror copy that fails verification', async () => {
    const repo = bareRepo();
    const alice = laptop('alice', Date.parse('2026-11-24T10:00:00Z'));
    await alice.ledger.append([stepEntry(1), stepEntry(2)]);
    await syncLedgerMirror(alice.ledger, settings(repo), alice.clone);
    const tamper = mkdtempSync(path.join(os.tmpdir(), 'cockpit-tamper-'));
    execFileSync('git', ['clone', '--quiet', '--branch', 'ledger', repo, tamper]);
    const file = path.join(tamper, 'penpal-ai.jsonl');
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"succeeded"', '"cancelled"'));
    execFileSync('git', [
      '-C',
      tamper,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '--quiet',
      '-am',
      'edit',
    ]);
    execFileSync('git', ['-C', tamper, 'push', '--quiet', 'origin', 'ledger']);
    const bob = laptop('bob', Date.parse('2026-11-24T11:00:00Z'));
    await expect(syncLedgerMirror(bob.ledger, settings(repo), bob.clone)).rejects.toMatchObject({
      code: 'LEDGER_INVALID',
    });
    expect(await bob.ledger.readAll()).toHaveLength(0);
  });

  it('merges the same way whichever side merges', async () => {
    const shared = laptop('shared', Date.parse('2026-11-24T09:00:00Z'));
    await shared.ledger.append([stepEntry(1)]);
    const base = await shared.ledger.readAll();
    const left = laptop('left', Date.parse('2026-11-24T09:10:00Z'));
    const right = laptop('right', Date.parse('2026-11-24T09:05:00Z'));
    await left.ledger.rewrite(() => base);
    await right.ledger.rewrite(() => base);
    await left.ledger.append([stepEntry(2), stepEntry(3)]);
    await right.ledger.append([stepEntry(4)]);
    const [l, r] = [await left.ledger.readAll(), await right.ledger.readAll()];
    const leftFirst = mergeChains(l, r);
    const rightFirst = mergeChains(r, l);
    expect(leftFirst.map((record) => record.hash)).toEqual(rightFirst.map((record) => record.hash));
    // Ordered by time: 4 came before the batch 2+3 (one batch shares a time; ties go by id).
    const attempts = leftFirst.map((record) => record.details?.attempt as number);
    expect(attempts.slice(0, 2)).toEqual([1, 4]);
    expect(attempts.slice(2).sort()).toEqual([2, 3]);
  });

  it("is a second anchor: verification says when the local ledger is behind, not shared yet, or diverges from the mirror's copy", async () => {
    const repo = bareRepo();
    const alice = laptop('alice', Date.parse('2026-11-24T10:00:00Z'));
    const bob = laptop('bob', Date.parse('2026-11-24T11:00:00Z'));
    await alice.ledger.append([stepEntry(1), stepEntry(2)]);
    await syncLedgerMirror(alice.ledger, settings(repo), alice.clone);
    const compare = async (who: typeof alice) =>
      compareWithMirror(await who.ledger.readAll(), settings(repo), who.clone, contentHash);
    expect(await compare(alice)).toMatchObject({ state: 'in-step', missingHere: 0, notShared: 0 });
    await alice.ledger.append([stepEntry(3)]);
    expect(await compare(alice)).toMatchObject({ state: 'ahead', notShared: 1 });

    // Bob has never synced: the mirror's two records are missing here.
    await bob.ledger.append([stepEntry(4)]);
    expect(await compare(bob)).toMatchObject({ state: 'behind', missingHere: 2, notShared: 1 });

    // Alice's first record rewritten (a valid chain, a fresh anchor): the mirror still has the original.
    await alice.ledger.rewrite((records) => {
      const [first, ...rest] = records;
      const { hash: _hash, ...content } = first!;
      return mergeChains([], [seal({ ...content, summary: 'edited' }), ...rest]);
    });
    expect((await alice.ledger.verify()).isValid).toBe(true);
    expect(await compare(alice)).toMatchObject({ state: 'diverged', diverged: { mirrorLine: 1, localLine: 1 } });

    // The mirror out of reach: the comparison works from the last fetch and says so.
    renameSync(repo, `${repo}-away`);
    try {
      expect(await compare(alice)).toMatchObject({ state: 'diverged', fetchProblem: expect.any(String) });
    } finally {
      renameSync(`${repo}-away`, repo);
    }
  });
});
