import { Stack, Text } from '@mantine/core';
import type { CiStatus, ReleaseCalendar } from '../../../../shared/contract';
import { useMoment } from '../../hooks/use-moment';

const dayFormat = (timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone });

/** Next production release, staging cadence, hotfix rule and when windows open. */
export function CalendarSummary({ calendar }: { calendar: ReleaseCalendar }) {
  const moment = useMoment();
  return (
    <Stack gap={2} data-testid="release-calendar">
      <Text size="sm">
        Next production release:{' '}
        <b>{dayFormat(calendar.timeZone).format(new Date(`${calendar.nextProductionRelease}T12:00:00Z`))}</b> (every{' '}
        {calendar.productionEveryWeeks} weeks on {calendar.productionWeekday}). {calendar.staging} Hotfix:{' '}
        {calendar.hotfix}
      </Text>
      {calendar.windows.map((window) => (
        <Text size="sm" key={window.environment} c="dimmed">
          {window.environment} windows: {window.slots.join('; ')} ({calendar.timeZone}) — next opens{' '}
          {window.nextOpenings[0] ? moment(window.nextOpenings[0]) : 'not within three weeks'}
        </Text>
      ))}
    </Stack>
  );
}

const ciText: Record<CiStatus['state'], { color: string; label: string }> = {
  success: { color: 'teal', label: '✓ CI green' },
  failure: { color: 'red', label: '✗ CI failed' },
  pending: { color: 'yellow', label: '… CI running' },
  unknown: { color: 'orange', label: '? CI state unknown' },
  none: { color: 'dimmed', label: 'No CI provider' },
};

/** Whether the latest tag's CI is green and its image exists — before it may be deployed. */
export function CiSummary({ ci }: { ci: CiStatus }) {
  const state = ciText[ci.state];
  return (
    <Text size="sm" data-testid="release-ci">
      <Text span c={state.color} fw={600}>
        {state.label}
      </Text>{' '}
      for {ci.ref}
      {ci.checks.length > 0
        ? ` (${ci.checks.map((check) => `${check.name}: ${check.conclusion ?? check.status}`).join(', ')})`
        : ''}
      {ci.image
        ? ` · image ${ci.image.reference} ${ci.image.exists === true ? 'exists' : ci.image.exists === false ? 'is missing' : `unknown (${ci.image.detail ?? ''})`}`
        : ''}
      {ci.detail ? ` — ${ci.detail}` : ''}
    </Text>
  );
}
