/**
 * The ledger's record: one event of the audit trail (R19). Shared because the renderer shows
 * records; the main process alone writes them.
 */
import { z } from 'zod';

import { ledgerActions, ledgerStatuses } from './ledger-actions';

export { ledgerActions, ledgerStatuses, type LedgerAction, type LedgerStatus } from './ledger-actions';

export const LedgerActor = z.strictObject({
  name: z.string().min(1).max(200),
  email: z.string().max(200).optional(),
  /** Where the identity came from. */
  source: z.enum(['roster', 'git', 'os']),
});
export type LedgerActor = z.infer<typeof LedgerActor>;

export const HealthCheckResult = z.strictObject({
  service: z.string(),
  environment: z.string().optional(),
  status: z.string(),
  version: z.string().optional(),
  latencyMs: z.number().nonnegative().optional(),
});

/** What a caller gives to record an event; the ledger adds sequence, id, time and chain. */
export const LedgerEntry = z.strictObject({
  action: z.enum(ledgerActions),
  status: z.enum(ledgerStatuses),
  /** Ties the `started` record of an action to its ending record. */
  correlationId: z.string().max(100).optional(),
  environment: z.string().max(100).optional(),
  services: z.array(z.string().max(100)).max(100).optional(),
  versionFrom: z.string().max(100).optional(),
  versionTo: z.string().max(100).optional(),
  commit: z.string().max(100).optional(),
  image: z.string().max(300).optional(),
  durationMs: z.number().int().nonnegative().optional(),
  healthChecks: z.array(HealthCheckResult).max(200).optional(),
  summary: z.string().max(1_000),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerRecord = LedgerEntry.extend({
  /** 1-based position in the chain; equals the line number in the file. */
  seq: z.number().int().positive(),
  id: z.string().min(1).max(100),
  time: z.iso.datetime(),
  actor: LedgerActor,
  platform: z.string(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * An armored SSHSIG signature (namespace release-cockpit) of the record without its chain
   * fields (seq, prevHash, hash) and this signature, by the person the actor names.
   */
  signature: z.string().max(10_000).optional(),
});
export type LedgerRecord = z.infer<typeof LedgerRecord>;

/** The outcome of walking the chain. */
export const LedgerVerification = z.strictObject({
  isValid: z.boolean(),
  recordCount: z.number().int().nonnegative(),
  checkedAt: z.iso.datetime(),
  /** The first broken link, with its 1-based line number. */
  problem: z.strictObject({ line: z.number().int().positive(), message: z.string() }).optional(),
  /** A torn last line left by a crash, reported and kept aside (not a tamper). */
  tornTail: z.strictObject({ line: z.number().int().positive(), bytes: z.number().int().positive() }).optional(),
});
export type LedgerVerification = z.infer<typeof LedgerVerification>;
