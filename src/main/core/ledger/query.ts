/**
 * Finding and exporting ledger records: filters by time range, environment, service, action and
 * free text; JSON or CSV out. Pure functions over the records.
 */
import type { LedgerAction, LedgerRecord } from '../../../shared/ledger-record';

export interface LedgerFilter {
  /** Inclusive lower bound (ISO time). */
  from?: string;
  /** Exclusive upper bound (ISO time). */
  to?: string;
  environment?: string;
  service?: string;
  action?: LedgerAction;
  /** Case-insensitive text searched in summary, actor, versions, commit, services and details. */
  search?: string;
}

/** The records that match every given filter, in chain order. */
export function filterRecords(records: LedgerRecord[], filter: LedgerFilter): LedgerRecord[] {
  const needle = filter.search?.trim().toLowerCase();
  const fromTime = filter.from ? Date.parse(filter.from) : undefined;
  const toTime = filter.to ? Date.parse(filter.to) : undefined;
  return records.filter((record) => {
    const time = Date.parse(record.time);
    if (fromTime !== undefined && time < fromTime) return false;
    if (toTime !== undefined && time >= toTime) return false;
    if (filter.environment && record.environment !== filter.environment) return false;
    if (filter.service && !(record.services ?? []).includes(filter.service)) return false;
    if (filter.action && record.action !== filter.action) return false;
    if (needle && !searchableText(record).includes(needle)) return false;
    return true;
  });
}

function searchableText(record: LedgerRecord): string {
  return [
    record.summary,
    record.action,
    record.status,
    record.actor.name,
    record.actor.email,
    record.environment,
    record.versionFrom,
    record.versionTo,
    record.commit,
    record.image,
    record.correlationId,
    ...(record.services ?? []),
    record.details ? JSON.stringify(record.details) : '',
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

export const csvColumns = [
  'seq',
  'id',
  'time',
  'actor',
  'action',
  'status',
  'environment',
  'services',
  'versionFrom',
  'versionTo',
  'commit',
  'image',
  'durationMs',
  'correlationId',
  'summary',
  'hash',
] as const;

/** Records as CSV (RFC 4180 quoting; cells that a spreadsheet would run as formulas are defused). */
export function toCsv(records: LedgerRecord[]): string {
  const rows = records.map((record) =>
    [
      record.seq,
      record.id,
      record.time,
      record.actor.email ? `${record.actor.name} <${record.actor.email}>` : record.actor.name,
      record.action,
      record.status,
      record.environment,
      (record.services ?? []).join(' '),
      record.versionFrom,
      record.versionTo,
      record.commit,
      record.image,
      record.durationMs,
      record.correlationId,
      record.summary,
      record.hash,
    ].map(csvCell),
  );
  return [csvColumns.join(','), ...rows.map((row) => row.join(','))].join('\r\n') + '\r\n';
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Records as pretty JSON (an array, oldest first). */
export function toJson(records: LedgerRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}
