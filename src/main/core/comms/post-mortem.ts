/**
 * A post-mortem draft (R18) in the manual's template — summary, timeline, root cause, resolution,
 * prevention — from what the ledger recorded of an incident: the deploy before it, each step of
 * the rollback, the notices, the end. What only people know is left as a marked blank. Pure.
 */
import { formatDuration } from '../../../shared/time-format';
import type { LedgerRecord } from '../../../shared/ledger-record';

const toFill = (what: string) => `_To fill in: ${what}._`;

const severityByLevel: Record<number, string> = { 1: 'Medium', 2: 'High', 3: 'Critical' };

/** The Markdown draft for the rollback `rollbackId`; undefined when the ledger has no such rollback. */
export function postMortemDraft(records: LedgerRecord[], rollbackId: string, timeZone: string): string | undefined {
  const own = records.filter((record) => record.correlationId === rollbackId);
  const first = own.find((record) => record.action === 'rollback.step');
  if (!first) return undefined;
  const finished = own.find((record) => record.action === 'rollback.finished');
  const service = first.services?.[0] ?? '?';
  const environment = first.environment ?? '?';
  const level = Number(first.details?.level ?? 0);
  // The release that went bad: the last deploy of the service there before the rollback began.
  const badDeploy = records
    .filter(
      (record) =>
        record.action === 'deploy.step' &&
        record.status === 'succeeded' &&
        record.environment === environment &&
        record.services?.includes(service) &&
        record.correlationId !== rollbackId &&
        record.time < first.time,
    )
    .at(-1);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const at = (record: LedgerRecord) => clock.format(new Date(record.time));
  const start = badDeploy ?? first;
  const end = finished ?? own.at(-1)!;
  // The rollback's own time is the one its banner and notice show; the incident's adds the time
  // from the bad release to the rollback's start.
  const rollbackMs = Date.parse(end.time) - Date.parse(first.time);
  const incidentMs = Date.parse(end.time) - Date.parse(start.time);

  const timeline: string[] = [];
  if (badDeploy)
    timeline.push(`${at(badDeploy)} – Release v${badDeploy.versionTo ?? '?'} of ${service} deployed to ${environment}`);
  timeline.push(`${at(first)} – Level ${level} rollback initiated by ${first.actor.name}`);
  for (const record of own) {
    if (record.action === 'rollback.step' && record.status !== 'started' && record.details?.changesSomething === true)
      timeline.push(`${at(record)} – ${record.summary}${record.status === 'failed' ? ' (failed)' : ''}`);
    if (record.action === 'rollback.step' && record.status === 'cancelled')
      timeline.push(`${at(record)} – ${record.summary}`);
    if (record.action === 'comms.queued') timeline.push(`${at(record)} – ${record.summary}`);
  }
  if (finished)
    timeline.push(
      `${at(finished)} – ${finished.status === 'succeeded' ? 'Service restored and verified' : `Rollback ended: ${finished.status}`}`,
    );

  const resolution = own
    .filter(
      (record) =>
        record.action === 'rollback.step' &&
        record.status === 'succeeded' &&
        (record.details?.changesSomething === true ||
          record.details?.step === 'choose' ||
          record.details?.step === 'backup'),
    )
    .map((record) => `- ${record.summary}`);
  const reason = typeof finished?.details?.reason === 'string' ? finished.details.reason : undefined;
  return [
    `# Post-mortem: ${service} in ${environment}, ${day.format(new Date(first.time))}`,
    '',
    '## Incident Summary',
    '',
    `- Date: ${day.format(new Date(start.time))}`,
    badDeploy
      ? `- Duration: ${formatDuration(incidentMs)} from the release to the end of the rollback (the rollback itself: ${formatDuration(rollbackMs)})`
      : `- Duration: ${formatDuration(rollbackMs)} (the rollback itself, from its start to its end)`,
    `- Impact: ${toFill('share of users affected, and how')}`,
    `- Severity: ${severityByLevel[level] ?? toFill('severity')} (a level ${level} rollback)`,
    '',
    '## Timeline',
    '',
    ...timeline.map((line) => `- ${line}`),
    `- ${toFill('when and how the problem was detected')}`,
    '',
    '## Root Cause',
    '',
    reason ? `Reported when rolling back: ${reason}. ${toFill('the cause found since')}` : toFill('the cause'),
    '',
    '## Resolution',
    '',
    ...(resolution.length > 0 ? resolution : [toFill('what was done')]),
    '',
    '## Prevention',
    '',
    `- ${toFill('what will keep it from happening again (tests, canary deploys, alerts)')}`,
    '',
    `_Drafted by Release Cockpit from the ledger (rollback ${rollbackId})._`,
    '',
  ].join('\n');
}
