/**
 * The ledger's hash chain, pure: sealing a record, verifying a file's text line by line, and
 * merging two chains that grew apart. h(n) = SHA-256(canonical JSON of record n without its
 * hash), and record n carries h(n−1) as `prevHash`, so any edit, insertion, deletion or reorder
 * breaks the chain at the line where it happened.
 */
import { createHash } from 'node:crypto';
import { LedgerRecord, type LedgerVerification } from '../../../shared/ledger-record';
import { canonicalJson } from './canonical-json';

export const genesisHash = '0'.repeat(64);

export type UnsealedRecord = Omit<LedgerRecord, 'hash'>;

/** The hash of a record's content (everything but its own hash). */
export function hashOf(record: UnsealedRecord): string {
  const { hash: _ignored, ...content } = record as LedgerRecord;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Adds the hash to a record. */
export function seal(record: UnsealedRecord): LedgerRecord {
  return { ...record, hash: hashOf(record) };
}

/** The record's line in the file (without the newline). */
export function serializeRecord(record: LedgerRecord): string {
  return canonicalJson(record);
}

/** The head of the chain, kept outside the file to catch records cut from its end. */
export interface LedgerAnchor {
  count: number;
  hash: string;
}

export interface ChainReading {
  records: LedgerRecord[];
  verification: Omit<LedgerVerification, 'checkedAt'>;
}

/** Walks the file's bytes and reports the first broken link with its line number. */
export function readChain(content: Buffer | string, anchor?: LedgerAnchor): ChainReading {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const completeLength = bytes.lastIndexOf(0x0a) + 1;
  const lines =
    completeLength === 0
      ? []
      : bytes
          .subarray(0, completeLength - 1)
          .toString('utf8')
          .split('\n');
  const records: LedgerRecord[] = [];
  const tornBytes = bytes.length - completeLength;
  const tornTail = tornBytes > 0 ? { line: lines.length + 1, bytes: tornBytes } : undefined;
  let previousHash = genesisHash;
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const problem = checkLine(lines[index]!, line, previousHash);
    if (typeof problem === 'string') {
      return {
        records,
        verification: { isValid: false, recordCount: records.length, problem: { line, message: problem }, tornTail },
      };
    }
    records.push(problem);
    previousHash = problem.hash;
  }
  const anchorProblem = anchor ? checkAnchor(records, anchor) : undefined;
  return {
    records,
    verification: {
      isValid: anchorProblem === undefined,
      recordCount: records.length,
      problem: anchorProblem,
      tornTail,
    },
  };
}

function checkLine(text: string, line: number, previousHash: string): LedgerRecord | string {
  if (text.length === 0) return 'empty line: the ledger has no blank lines, so one was inserted or a record was cut';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON: the record was damaged';
  }
  const record = LedgerRecord.safeParse(parsed);
  if (!record.success) {
    const issue = record.error.issues[0];
    return `not a ledger record (${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'})`;
  }
  if (canonicalJson(record.data) !== text) return 'not in canonical form: the record was edited';
  if (record.data.seq !== line) {
    return `sequence number is ${record.data.seq}, expected ${line}: a record was removed, inserted or moved here`;
  }
  if (record.data.prevHash !== previousHash) {
    return line === 1
      ? 'the first record does not start the chain'
      : `does not link to line ${line - 1}: the chain is broken here`;
  }
  if (hashOf(record.data) !== record.data.hash) return 'content does not match its hash: the record was changed';
  return record.data;
}

function checkAnchor(records: LedgerRecord[], anchor: LedgerAnchor): LedgerVerification['problem'] {
  if (anchor.count > records.length) {
    return {
      line: records.length + 1,
      message: `the ledger ends after ${records.length} records but its anchor records ${anchor.count}: records were removed from the end`,
    };
  }
  if (anchor.count > 0 && records[anchor.count - 1]?.hash !== anchor.hash) {
    return { line: anchor.count, message: 'does not match the anchored head: the ledger was rewritten' };
  }
  return undefined;
}

/**
 * Merges two chains that share a prefix and then grew apart (two laptops, one mirror): the
 * records after the shared prefix, from both sides, are ordered by time then id and re-linked.
 * The result is the same whichever side merges, so every clone converges to one chain.
 */
export function mergeChains(local: LedgerRecord[], remote: LedgerRecord[]): LedgerRecord[] {
  let shared = 0;
  while (shared < local.length && shared < remote.length && local[shared]!.hash === remote[shared]!.hash) shared++;
  const byId = new Map<string, LedgerRecord>();
  for (const record of [...remote.slice(shared), ...local.slice(shared)])
    if (!byId.has(record.id)) byId.set(record.id, record);
  const tail = [...byId.values()].sort((a, b) =>
    a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const merged = local.slice(0, shared);
  let previousHash = merged.at(-1)?.hash ?? genesisHash;
  for (const record of tail) {
    const { hash: _old, ...content } = record;
    const relinked = seal({ ...content, seq: merged.length + 1, prevHash: previousHash });
    merged.push(relinked);
    previousHash = relinked.hash;
  }
  return merged;
}
