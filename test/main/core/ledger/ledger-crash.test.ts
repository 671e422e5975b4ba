import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { bundleScript } from '../../../helpers/bundle-script';

let writerScript: string;

beforeAll(async () => {
  writerScript = await bundleScript(path.join(import.meta.dirname, 'ledger-writer.fixture.ts'));
});

interface WriterRun {
  acknowledged: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs a writer. With `killAfterFirstAckMs`, SIGKILLs it that long after its first acknowledged
 * append, so every kill lands while it is appending, whatever the machine's speed.
 */
function runWriter(folder: string, count: number, name: string, killAfterFirstAckMs?: number): Promise<WriterRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [writerScript, folder, String(count), name], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: path.resolve(import.meta.dirname, '../../../..'),
    });
    const acknowledged: string[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('ack ')) acknowledged.push(line.split(' ')[2]!);
      if (killAfterFirstAckMs !== undefined && acknowledged.length > 0 && !timer) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterFirstAckMs);
      }
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.once('close', (exitCode, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ acknowledged, exitCode, signal });
    });
  });
}

function ledgerAt(folder: string) {
  return new Ledger({ folder, platformId: 'penpal-ai', actor: { name: 'checker', source: 'os' } });
}

describe('the ledger under crashes and concurrency (real processes)', () => {
  it('never loses an acknowledged record nor accepts a partial one when the writer is SIGKILLed (50 runs)', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-ledger-crash-'));
    const acknowledged = new Set<string>();
    let tornTailsSeen = 0;
    for (let run = 0; run < 50; run++) {
      const result = await runWriter(folder, 100_000, `crash-${run}`, Math.floor(Math.random() * 60));
      expect(result.signal).toBe('SIGKILL');
      for (const id of result.acknowledged) acknowledged.add(id);
      const verification = await ledgerAt(folder).verify();
      expect(verification.isValid, JSON.stringify(verification.problem)).toBe(true);
      if (verification.tornTail) tornTailsSeen++;
      const present = new Set((await ledgerAt(folder).readAll()).map((record) => record.id));
      for (const id of acknowledged) expect(present.has(id), `acknowledged record ${id} lost in run ${run}`).toBe(true);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(50);
    // The next writer repairs any torn tail and the chain stays whole.
    await ledgerAt(folder).append([{ action: 'deploy.step', status: 'info', summary: 'after the crashes' }]);
    const final = await ledgerAt(folder).verify();
    expect(final).toMatchObject({ isValid: true, tornTail: undefined });
    expect(tornTailsSeen).toBeLessThanOrEqual(50);
  }, 240_000);

  it('keeps one valid chain when two processes append at the same time', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-ledger-concurrent-'));
    const [first, second] = await Promise.all([runWriter(folder, 150, 'alpha'), runWriter(folder, 150, 'beta')]);
    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    const verification = await ledgerAt(folder).verify();
    expect(verification).toMatchObject({ isValid: true, recordCount: 300 });
    const records = await ledgerAt(folder).readAll();
    const ids = new Set(records.map((record) => record.id));
    for (const id of [...first.acknowledged, ...second.acknowledged]) expect(ids.has(id)).toBe(true);
    const writers = new Set(records.map((record) => record.actor.name));
    expect(writers).toEqual(new Set(['alpha', 'beta']));
  }, 120_000);
});
