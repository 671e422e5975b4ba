/**
 * What the ledger says of versions: those marked bad (a person's mark, or the version a level 1
 * or level 2 rollback moved away from) until a person marks them good again, and what the
 * cockpit itself deployed where. Pure: records in, marks out; the marks are ledger records, so a
 * team sharing the ledger shares them.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';

/** A version that must not be deployed again, and who said so. */
export interface BadVersionMark {
  service: string;
  version: string;
  markedBy: { name: string; email?: string };
  reason: string;
  markedAt: string;
  /** The rollback that marked it, when one did. */
  rollbackId?: string;
}

/** Service → version → its standing mark; marked good again means no entry. */
export type BadVersions = Map<string, Map<string, BadVersionMark>>;

/** The marks in force after `records` (oldest first). */
export function badVersions(records: readonly LedgerRecord[]): BadVersions {
  const marks: BadVersions = new Map();
  for (const record of records) {
    if (record.action !== 'version.marked-bad' && record.action !== 'version.marked-good') continue;
    const service = record.services?.[0];
    const version = record.versionTo;
    if (!service || !version) continue;
    const forService = marks.get(service) ?? new Map<string, BadVersionMark>();
    if (record.action === 'version.marked-good') forService.delete(version);
    else
      forService.set(version, {
        service,
        version,
        markedBy: { name: record.actor.name, ...(record.actor.email ? { email: record.actor.email } : {}) },
        reason: typeof record.details?.reason === 'string' ? record.details.reason : record.summary,
        markedAt: record.time,
        ...(typeof record.details?.rollbackId === 'string' ? { rollbackId: record.details.rollbackId } : {}),
      });
    marks.set(service, forService);
  }
  return marks;
}

/** The mark on `version` of `service`, if it stands. */
export function markOf(marks: BadVersions, service: string, version: string | undefined): BadVersionMark | undefined {
  return version === undefined ? undefined : marks.get(service)?.get(version.replace(/^v/, ''));
}

/** One line saying who marked a version bad and why. */
export function describeMark(mark: BadVersionMark): string {
  return `v${mark.version} of ${mark.service} is marked bad by ${mark.markedBy.name} (${mark.reason})`;
}

/** The version the last succeeded rollback of a service in an environment moved away from. */
export function rolledBackFrom(
  records: readonly LedgerRecord[],
  service: string,
  environment: string,
): { version: string; at: string } | undefined {
  for (let index = records.length - 1; index >= 0; index--) {
    const record = records[index]!;
    if (record.environment !== environment || !record.services?.includes(service)) continue;
    if (record.action === 'deploy.step' && record.status === 'succeeded') return undefined;
    if (record.action === 'version.marked-bad' && typeof record.details?.rollbackId === 'string')
      return { version: record.versionTo ?? '', at: record.time };
  }
  return undefined;
}

/** Whether the cockpit itself ever deployed `version` of `service` to `environment`. */
export function wasDeployedHere(
  records: readonly LedgerRecord[],
  service: string,
  environment: string,
  version: string,
): boolean {
  return records.some(
    (record) =>
      record.action === 'deploy.step' &&
      record.status === 'succeeded' &&
      record.environment === environment &&
      record.services?.includes(service) &&
      record.versionTo === version,
  );
}
