/**
 * The previous stable version of a service in an environment, from the ledger: the version a
 * successful deploy replaced with the one running now, or else the last version that deployed
 * successfully before it. Pure.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';

export function previousStableVersion(
  records: LedgerRecord[],
  service: string,
  environment: string,
  runningVersion: string | undefined,
): string | undefined {
  const steps = records
    .filter(
      (record) =>
        record.action === 'deploy.step' &&
        record.status === 'succeeded' &&
        record.environment === environment &&
        record.services?.includes(service),
    )
    .reverse();
  const current = runningVersion?.replace(/^v/, '');
  const arrival = steps.find((record) => record.versionTo === current);
  if (arrival?.versionFrom && arrival.versionFrom !== current) return arrival.versionFrom;
  return steps.find((record) => record.versionTo && record.versionTo !== current)?.versionTo;
}
