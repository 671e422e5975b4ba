/**
 * Recording actions in the ledger around the work they do: a `started` record before (if it
 * cannot be written, the action does not run), and a `succeeded` or `failed` one after, tied by a
 * correlation id and carrying the duration. Each new record is announced to the renderer.
 */
import { randomUUID } from 'node:crypto';
import type { LedgerEntry, LedgerRecord } from '../../../shared/ledger-record';
import type { Ledger } from './ledger';

export type ActionEntry = Omit<LedgerEntry, 'status' | 'correlationId' | 'durationMs'>;

export class AuditTrail {
  constructor(
    readonly ledger: Ledger,
    private readonly announce: (records: LedgerRecord[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Appends entries as they are (events that do not run anything). */
  async record(entries: LedgerEntry[]): Promise<LedgerRecord[]> {
    const records = await this.ledger.append(entries);
    this.announce(records);
    return records;
  }

  /** Runs `work` between a `started` record and its outcome. */
  async around<T>(entry: ActionEntry, work: () => Promise<T>): Promise<T> {
    const correlationId = randomUUID();
    const began = this.now();
    await this.record([{ ...entry, status: 'started', correlationId }]);
    try {
      const result = await work();
      await this.record([{ ...entry, status: 'succeeded', correlationId, durationMs: this.now() - began }]);
      return result;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.record([
        {
          ...entry,
          status: 'failed',
          correlationId,
          durationMs: this.now() - began,
          details: { ...entry.details, error: reason.slice(0, 500) },
        },
      ]);
      throw error;
    }
  }
}
