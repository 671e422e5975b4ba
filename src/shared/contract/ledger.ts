/**
 * The ledger: querying, verifying, exporting and syncing it, and the figures drawn from it
 * (metrics, the monthly report).
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { LedgerRecord, LedgerVerification, ledgerActions } from '../ledger-record';
import { EntityId, ShortText, noInput, type CommandSpec, type EventSpec } from './common';

export const LedgerFilterInput = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  environment: ShortText.optional(),
  service: ShortText.optional(),
  action: z.enum(ledgerActions).optional(),
  search: ShortText.optional(),
});

export const LedgerPage = z.strictObject({
  /** Newest first. */
  records: z.array(LedgerRecord),
  /** How many records match the filter in all. */
  matched: z.number().int().nonnegative(),
  /** How many records the ledger holds. */
  total: z.number().int().nonnegative(),
  verification: LedgerVerification,
});
export type LedgerPage = z.infer<typeof LedgerPage>;

/** KPIs and DORA metrics of one environment over a period (formulas: `core/ledger/metrics.ts`). */
export const MetricsReport = z.strictObject({
  environment: z.string(),
  from: z.string(),
  to: z.string(),
  kpis: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      value: z.number().optional(),
      unit: z.string(),
      target: z.string().optional(),
      isMet: z.boolean().optional(),
      detail: z.string(),
      caveat: z.string().optional(),
    }),
  ),
  services: z.array(
    z.strictObject({
      service: z.string(),
      deploys: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      successRate: z.number().optional(),
      meanStepMinutes: z.number().optional(),
      rollbacks: z.number(),
    }),
  ),
  weeks: z.array(
    z.strictObject({
      weekStart: z.string(),
      deploys: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      rollbacks: z.number(),
      meanDeployMinutes: z.number().optional(),
    }),
  ),
});
export type MetricsReport = z.infer<typeof MetricsReport>;

/** The commands of this domain, by channel. */
export const ledgerCommands = {
  'ledger:query': {
    summary: 'Records of the audit trail, newest first, filtered; with the last verification.',
    input: LedgerFilterInput.extend({
      limit: z.number().int().min(1).max(1_000).default(200),
      /** Only records older than this sequence number (for the next page). */
      beforeSeq: z.number().int().positive().optional(),
    }),
    output: LedgerPage,
  },
  'ledger:verify': {
    summary: 'Walks the whole chain and reports the first broken link with its line.',
    input: noInput,
    output: LedgerVerification,
  },
  'ledger:export': {
    summary: 'Writes the filtered records as JSON or CSV into the data folder’s exports.',
    input: LedgerFilterInput.extend({
      format: z.enum(['json', 'csv']),
      /** Also return what was written, for a browser to download. */
      withContent: z.boolean().optional(),
    }),
    output: z.strictObject({
      file: z.string(),
      recordCount: z.number().int().nonnegative(),
      content: z.string().optional(),
    }),
  },
  'ledger:sync': {
    summary: 'Merges the ledger with its git mirror (fetch, merge, commit, push).',
    input: noInput,
    output: z.strictObject({
      received: z.number().int().nonnegative(),
      sent: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
      commit: z.string().optional(),
    }),
  },
  'metrics:report': {
    summary: 'The KPIs and DORA metrics of an environment over the last days, from the ledger and git.',
    input: z.strictObject({ environment: EntityId, sinceDays: z.number().int().min(1).max(366).default(30) }),
    output: MetricsReport,
  },
  'report:monthly': {
    summary:
      'Writes the monthly compliance report (Markdown, HTML, PDF) into the data folder and returns the Markdown.',
    input: z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month such as 2026-11') }),
    output: z.strictObject({
      markdown: z.string(),
      files: z.strictObject({ markdown: z.string(), html: z.string(), pdf: z.string().optional() }),
      pdfProblem: z.string().optional(),
    }),
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const ledgerEvents = {
  'ledger:appended': {
    summary: 'Sent after records are appended, with those records.',
    payload: z.strictObject({ records: z.array(LedgerRecord) }),
  },
  'ledger:verified': {
    summary: 'Sent after the chain was verified (at start, after a sync, on request).',
    payload: LedgerVerification,
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
