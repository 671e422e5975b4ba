/**
 * Durable ledger appends: one writer appending one record after the other (each waits for its
 * fsync), against 16 writers appending side by side in one process, as a deploy's parallel steps
 * do — their appends share writes (group commit). The target is PERFORMANCE.md's: ≥ 1,000
 * appends/s with 16 concurrent writers; the sequential rate is the baseline of the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LedgerEntry } from '../src/shared/ledger-record';
import { Ledger } from '../src/main/core/ledger/ledger';
import type { BenchResult } from './stats';

const sequentialAppends = 500;
const writers = 16;
const appendsPerWriter = 250;

function entry(index: number): LedgerEntry {
  return {
    action: 'deploy.step',
    status: 'succeeded',
    environment: 'staging',
    services: ['auth-service'],
    versionTo: `2.${index}.0`,
    summary: `auth-service v2.${index}.0 to staging: healthy`,
  };
}

/** Appends/s of `count` writers each appending `each` records one after the other. */
async function appendRate(count: number, each: number): Promise<{ rate: number; isValid: boolean }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-ledger-'));
  const ledger = new Ledger({ folder, platformId: 'bench', actor: { name: 'Bench', source: 'os' } });
  const began = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, writer) => {
      for (let index = 0; index < each; index++) await ledger.append([entry(writer * each + index)]);
    }),
  );
  const rate = (count * each) / ((performance.now() - began) / 1000);
  const verification = await ledger.verify();
  rmSync(folder, { recursive: true, force: true });
  return { rate, isValid: verification.isValid && verification.recordCount === count * each };
}

export async function ledgerBench(): Promise<BenchResult> {
  const sequential = await appendRate(1, sequentialAppends);
  const concurrent = await appendRate(writers, appendsPerWriter);
  return {
    name: `Ledger: durable appends, 1 writer × ${sequentialAppends} and ${writers} writers × ${appendsPerWriter}`,
    figures: {
      'sequential appends/s (baseline)': Math.round(sequential.rate),
      [`${writers} concurrent writers appends/s`]: Math.round(concurrent.rate),
      'concurrent / sequential': Number((concurrent.rate / sequential.rate).toFixed(2)),
    },
    verdicts: [
      { target: `≥ 1,000 appends/s with ${writers} concurrent writers`, pass: concurrent.rate >= 1_000 },
      { target: 'both chains verify, every record in', pass: sequential.isValid && concurrent.isValid },
    ],
  };
}
