/**
 * The ledger: an append-only, hash-chained JSON Lines file per platform (R19).
 *
 * Appends take the writer lock, link to the file's real last record, write each batch — or every
 * batch that came while the last write was under way — with one `write()`, fsync, and only then
 * acknowledge; the anchor (count and head hash, kept beside the file) is updated after. On open, a torn last line left by a crash is moved aside into a
 * `.torn` file, reported, and recorded as a `ledger.repaired` event — never silently kept or
 * dropped.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  LedgerEntry,
  type LedgerActor,
  type LedgerRecord,
  type LedgerVerification,
} from '../../../shared/ledger-record';
import { writeFileAtomic } from '../atomic-file';
import { CockpitError } from '../errors';
import { genesisHash, readChain, seal, serializeRecord, type LedgerAnchor } from './chain';
import { acquireLock } from './file-lock';

const maxSummaryLength = 1_000;

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** Every string value inside `value` through `redact`; keys and other values as they are. */
function redactValues(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValues(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValues(item, redact)]));
  }
  return value;
}

const Anchor = z.object({ count: z.number().int().nonnegative(), hash: z.string() });

export interface LedgerOptions {
  /** The folder of this platform's ledger. */
  folder: string;
  platformId: string;
  actor: LedgerActor;
  clock?: () => Date;
  /** Masks secrets in anything recorded. */
  redact?: (text: string) => string;
  /** Signs the records that carry authority; without one, records are written unsigned. */
  signer?: RecordSigner;
}

/** A record before the chain places it: everything but seq, prevHash and hash. */
export type RecordContent = Omit<LedgerRecord, 'seq' | 'prevHash' | 'hash'>;

export interface RecordSigner {
  /** The signature a record needs before it is written (none when it carries no authority). */
  signatureFor(content: RecordContent): Promise<string | undefined>;
}

export interface LedgerPaths {
  file: string;
  anchor: string;
  lock: string;
}

/** The file names of a ledger folder. */
export function ledgerPaths(folder: string): LedgerPaths {
  return {
    file: path.join(folder, 'ledger.jsonl'),
    anchor: path.join(folder, 'ledger.anchor.json'),
    lock: path.join(folder, 'ledger.lock'),
  };
}

export class Ledger {
  readonly paths: LedgerPaths;
  /** Who this ledger's records name. */
  readonly actor: LedgerActor;
  private readonly clock: () => Date;
  /** What this process last wrote: while the file keeps that size, nobody else has appended. */
  private knownTail?: { size: number; count: number; hash: string };
  /** Batches appended while a write is under way: the next write takes them all. */
  private readonly waiting: {
    contents: RecordContent[];
    resolve: (records: LedgerRecord[]) => void;
    reject: (error: Error) => void;
  }[] = [];
  private isWriting = false;

  constructor(private readonly options: LedgerOptions) {
    this.paths = ledgerPaths(options.folder);
    this.actor = options.actor;
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Appends entries as one batch and resolves once they are durable. Batches appended while a
   * write is under way go out together in the next one (group commit): one lock, one `write()`,
   * one fsync and one anchor for all of them, each batch kept whole and in the order it came.
   */
  async append(entries: LedgerEntry[]): Promise<LedgerRecord[]> {
    if (entries.length === 0) return [];
    const contents: RecordContent[] = [];
    for (const content of this.contentsOf(entries)) {
      const signature = await this.options.signer?.signatureFor(content);
      contents.push(signature ? { ...content, signature } : content);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ contents, resolve, reject });
      this.startWriting();
    });
  }

  /** Starts writing what waits, unless a write is under way (it takes what waits when done). */
  private startWriting(): void {
    if (this.isWriting) return;
    this.isWriting = true;
    void this.commitWaiting();
  }

  /** Writes what waits, group after group, until nothing does. */
  private async commitWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0);
        try {
          const written = await this.commit(group.flatMap((pending) => pending.contents));
          let start = 0;
          for (const pending of group) pending.resolve(written.slice(start, (start += pending.contents.length)));
        } catch (error) {
          // What fails a group is the ledger's (its lock, its file, a broken chain), never one batch's.
          for (const pending of group) pending.reject(error as Error);
        }
      }
    } finally {
      // In the same turn as the last check of `waiting`: an append after it starts a new writer.
      this.isWriting = false;
    }
  }

  /** Seals `contents` after the file's real last record and writes them durably, under the lock. */
  private commit(contents: RecordContent[]): Promise<LedgerRecord[]> {
    return this.withLock(async () => {
      const { count, hash, repaired } = await this.tailForWriting();
      const sealed = this.sealAfter(count, hash, [...(repaired ? this.contentsOf([repaired]) : []), ...contents]);
      const seq = count + sealed.length;
      const previous = sealed.at(-1)!.hash;
      const size = await this.writeDurably(sealed.map((record) => `${serializeRecord(record)}\n`).join(''));
      await this.writeAnchor({ count: seq, hash: previous });
      this.knownTail = { size, count: seq, hash: previous };
      return repaired ? sealed.slice(1) : sealed;
    });
  }

  /**
   * Throws what signing `entry` would throw (no key, a key not in the roster), writing nothing: a
   * deploy checks it can sign its start before it journals anything.
   */
  async checkSigning(entry: LedgerEntry): Promise<void> {
    const [content] = this.contentsOf([entry]);
    await this.options.signer?.signatureFor(content!);
  }

  /** Every record, oldest first (a torn tail is left out and reported by `verify`). */
  async readAll(): Promise<LedgerRecord[]> {
    return readChain(await this.readContent(), await this.readAnchor()).records;
  }

  /**
   * Walks the whole chain. The anchor must be there and readable once the ledger has records:
   * without it, records cut from the end could not be seen.
   */
  async verify(): Promise<LedgerVerification> {
    const anchorText = await readFile(this.paths.anchor, 'utf8').catch(() => undefined);
    const anchor = await this.readAnchor();
    const { verification } = readChain(await this.readContent(), anchor);
    const checkedAt = this.clock().toISOString();
    if (verification.problem || verification.recordCount === 0 || anchor) return { ...verification, checkedAt };
    return {
      ...verification,
      isValid: false,
      checkedAt,
      problem: {
        line: verification.recordCount,
        message:
          anchorText === undefined
            ? `the anchor ${path.basename(this.paths.anchor)} is missing: records cut from the end could not be seen (restore it from a backup, or compare with the team mirror)`
            : `the anchor ${path.basename(this.paths.anchor)} is unreadable: records cut from the end could not be seen (restore it from a backup, or compare with the team mirror)`,
      },
    };
  }

  /**
   * Replaces the chain with `change(current records)` under the writer lock (a mirror merge),
   * keeping the anchor in step. Refuses to start from a chain that fails verification.
   */
  async rewrite(change: (records: LedgerRecord[]) => LedgerRecord[]): Promise<LedgerRecord[]> {
    return this.withLock(async () => {
      const { records: existing, repaired } = await this.readForWriting();
      const records = repaired
        ? [
            ...existing,
            ...this.sealAfter(existing.length, existing.at(-1)?.hash ?? genesisHash, this.contentsOf([repaired])),
          ]
        : existing;
      const next = change(records);
      if (next === existing) return existing;
      await mkdir(this.options.folder, { recursive: true });
      await writeFileAtomic(this.paths.file, next.map((record) => `${serializeRecord(record)}\n`).join(''));
      await this.writeAnchor({ count: next.length, hash: next.at(-1)?.hash ?? genesisHash });
      this.knownTail = undefined;
      return next;
    });
  }

  /** Entries checked and scrubbed, with their id, time, actor and platform. */
  private contentsOf(entries: LedgerEntry[]): RecordContent[] {
    const time = this.clock().toISOString();
    return entries.map((entry) => ({
      ...this.scrub(entry),
      id: randomUUID(),
      time,
      actor: this.options.actor,
      platform: this.options.platformId,
    }));
  }

  /** Seals contents as the records that follow record `count` with hash `hash`. */
  private sealAfter(count: number, hash: string, contents: RecordContent[]): LedgerRecord[] {
    let previous = hash;
    let seq = count;
    return contents.map((content) => {
      const record = seal({ ...content, seq: ++seq, prevHash: previous });
      previous = record.hash;
      return record;
    });
  }

  /** Runs `work` holding the writer lock. */
  withLock<T>(work: () => Promise<T>): Promise<T> {
    return acquireLock(this.paths.lock, { description: 'The ledger', leaseMs: 30_000, waitMs: 30_000 }).then(
      async (lock) => {
        try {
          return await work();
        } finally {
          await lock.release();
        }
      },
    );
  }

  /**
   * Reads the chain before an append. A broken chain refuses the append (never extend a tampered
   * trail); a torn tail is moved aside and turned into a `ledger.repaired` entry.
   */
  private async tailForWriting(): Promise<{ count: number; hash: string; repaired?: LedgerEntry }> {
    const size = existsSync(this.paths.file) ? (await stat(this.paths.file)).size : 0;
    if (this.knownTail && this.knownTail.size === size) return this.knownTail;
    const { records, repaired } = await this.readForWriting();
    return { count: records.length, hash: records.at(-1)?.hash ?? genesisHash, repaired };
  }

  private async readForWriting(): Promise<{ records: LedgerRecord[]; repaired?: LedgerEntry }> {
    const content = await this.readContent();
    const { records, verification } = readChain(content, await this.readAnchor());
    if (!verification.isValid && verification.problem) {
      throw new CockpitError(
        'LEDGER_INVALID',
        `The ledger fails verification at line ${verification.problem.line} (${verification.problem.message}); nothing more is written until it is investigated.`,
      );
    }
    if (!verification.tornTail) return { records };
    const keptLength = content.length - verification.tornTail.bytes;
    const savedTo = `${this.paths.file}.torn-${this.clock().toISOString().replaceAll(':', '-')}`;
    await writeFileAtomic(savedTo, content.subarray(keptLength));
    await this.truncateTo(keptLength);
    return {
      records,
      repaired: {
        action: 'ledger.repaired',
        status: 'info',
        summary: `Line ${verification.tornTail.line} was torn by an interrupted write (${verification.tornTail.bytes} bytes); it was moved to ${path.basename(savedTo)}.`,
        details: {
          line: verification.tornTail.line,
          bytes: verification.tornTail.bytes,
          savedTo: path.basename(savedTo),
        },
      },
    };
  }

  /**
   * The entry checked against its schema, with secrets masked in its free text only (the summary
   * and the values of its details): keys, ids, enums and numbers are never rewritten, so a masked
   * value can never turn a record invalid.
   */
  private scrub(entry: LedgerEntry): LedgerEntry {
    const redact = this.options.redact ?? ((text: string) => text);
    const parsed = LedgerEntry.safeParse({
      ...entry,
      summary: clip(redact(entry.summary), maxSummaryLength),
      ...(entry.details ? { details: redactValues(entry.details, redact) as Record<string, unknown> } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CockpitError(
        'BAD_INPUT',
        `A ${entry.action ?? 'ledger'} record was not written: field "${issue?.path.join('.') ?? '?'}" ${issue?.message ?? 'is not valid'}.`,
      );
    }
    return parsed.data;
  }

  /** Appends with one write, fsyncs, and returns the file's new size. */
  private async writeDurably(text: string): Promise<number> {
    await mkdir(this.options.folder, { recursive: true });
    const handle = await open(this.paths.file, 'a', 0o600);
    try {
      await handle.write(text);
      await handle.sync();
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  private async truncateTo(length: number): Promise<void> {
    const handle = await open(this.paths.file, 'r+');
    try {
      await handle.truncate(length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async readContent(): Promise<Buffer> {
    return existsSync(this.paths.file) ? readFile(this.paths.file) : Buffer.alloc(0);
  }

  private async readAnchor(): Promise<LedgerAnchor | undefined> {
    try {
      const parsed = Anchor.safeParse(JSON.parse(await readFile(this.paths.anchor, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeAnchor(anchor: LedgerAnchor): Promise<void> {
    await writeFileAtomic(this.paths.anchor, `${JSON.stringify(anchor)}\n`);
  }
}
