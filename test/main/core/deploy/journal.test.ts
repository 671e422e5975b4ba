import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DeployJournal,
  interruptedRuns,
  journaledRuns,
  latestResumable,
  type JournalEntry,
} from '../../../../src/main/core/deploy/journal';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';

const started = (runId: string, at: string): JournalEntry => ({
  kind: 'run-started',
  runId,
  environment: 'staging',
  waves: [[{ service: 'api', version: '1.2.0', action: 'deploy', dependsOn: [] }]],
  at,
});

describe('the deploy journal', () => {
  it('moves a torn last line aside before its next append, so the append is read and the run stays finished', async () => {
    const folder = temporaryDataDir();
    const file = path.join(folder, 'run-a.jsonl');
    const first = new DeployJournal(file);
    await first.append(started('run-a', '2026-12-01T10:00:00Z'));
    // A crash tore the next write in the middle.
    appendFileSync(file, '{"kind":"step-intent","service":"api","vers');
    for (let cut = 1; cut < 20; cut++) {
      const copy = path.join(folder, `copy-${cut}.jsonl`);
      writeFileSync(copy, readFileSync(file).subarray(0, readFileSync(file).length - cut));
      const reopened = new DeployJournal(copy);
      await reopened.append({ kind: 'run-finished', status: 'failed', at: '2026-12-01T10:01:00Z' });
      const entries = await reopened.read();
      expect(
        entries.map((entry) => entry.kind),
        `cut ${cut}`,
      ).toEqual(['run-started', 'run-finished']);
    }
    const reopened = new DeployJournal(file);
    await reopened.append({ kind: 'run-finished', status: 'failed', at: '2026-12-01T10:01:00Z' });
    expect((await reopened.read()).map((entry) => entry.kind)).toEqual(['run-started', 'run-finished']);
    expect(readdirSync(folder).some((name) => name.startsWith('run-a.jsonl.torn-'))).toBe(true);
    expect(await interruptedRuns(folder)).not.toContain(file);
  });

  it('never offers as "latest" an interrupted run older than a later finished run of its environment', async () => {
    const folder = temporaryDataDir();
    const older = new DeployJournal(path.join(folder, 'older.jsonl'));
    await older.append(started('older', '2026-12-01T10:00:00Z'));
    const later = new DeployJournal(path.join(folder, 'later.jsonl'));
    await later.append(started('later', '2026-12-01T11:00:00Z'));
    await later.append({ kind: 'run-finished', status: 'succeeded', at: '2026-12-01T11:05:00Z' });
    const choice = latestResumable(await journaledRuns(folder));
    expect(choice.run).toBeUndefined();
    expect(choice.why).toContain('older than run later, which finished succeeded');
    const newest = new DeployJournal(path.join(folder, 'newest.jsonl'));
    await newest.append(started('newest', '2026-12-01T12:00:00Z'));
    expect(latestResumable(await journaledRuns(folder)).run?.runId).toBe('newest');
  });
});
