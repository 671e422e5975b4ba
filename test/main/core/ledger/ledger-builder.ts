import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LedgerEntry, LedgerRecord } from '../../../../src/shared/ledger-record';
import { Ledger } from '../../../../src/main/core/ledger/ledger';

/** A ledger in a fresh temporary folder, with a fixed actor. */
export function temporaryLedger(options: { clock?: () => Date; redact?: (text: string) => string } = {}) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-ledger-'));
  return new Ledger({
    folder,
    platformId: 'penpal-ai',
    actor: { name: 'Ana Release', email: 'ana@example.com', source: 'git' },
    ...options,
  });
}

/** A deploy step entry numbered `index`, with enough fields to exercise the serialization. */
export function stepEntry(index: number): LedgerEntry {
  return {
    action: 'deploy.step',
    status: index % 5 === 0 ? 'failed' : 'succeeded',
    correlationId: `run-${Math.floor(index / 7)}`,
    environment: index % 2 === 0 ? 'staging' : 'production',
    services: ['auth-service'],
    versionFrom: '2.0.0',
    versionTo: `2.${index}.0`,
    durationMs: index * 13,
    healthChecks: [{ service: 'auth-service', status: 'up', version: `2.${index}.0`, latencyMs: 12.5 }],
    summary: `Deployed auth-service step ${index} — “quoted” and ünïcode`,
    details: { attempt: index, nested: { ok: index % 2 === 0, list: [1, 'two', null] } },
  };
}

/** The records of a ledger written through the real Ledger, each entry at its own time. */
export async function recordsAt(entries: [string, LedgerEntry][]): Promise<LedgerRecord[]> {
  let now = new Date(0);
  const ledger = temporaryLedger({ clock: () => now });
  for (const [time, entry] of entries) {
    now = new Date(time);
    await ledger.append([entry]);
  }
  return ledger.readAll();
}
