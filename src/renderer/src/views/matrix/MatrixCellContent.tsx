import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { memo } from 'react';
import type { MatrixCell } from '../../../../shared/contract';
import classes from './MatrixView.module.css';
import { Sparkline } from './Sparkline';
import { ageText, statusStyle } from './status-style';

/** What the ledger says of the cell: rolled back from, versions marked bad, deployed from elsewhere. */
function CellMarks({ cell }: { cell: MatrixCell }) {
  const marks = cell.marks;
  if (!marks) return null;
  const isRunningBad = marks.badVersions.some((mark) => mark.version === cell.deployedVersion);
  if (!marks.rolledBackFrom && marks.badVersions.length === 0 && !marks.isNotDeployedHere && !marks.hold) return null;
  return (
    <Group gap={4} data-testid="cell-marks">
      {marks.hold && (
        <Tooltip
          label={`Held by ${marks.hold.holder} since ${marks.hold.since}: ${marks.hold.reason}`}
          multiline
          maw={320}
        >
          <Badge size="xs" variant="filled" color="orange" tt="none" data-testid="cell-hold">
            held by {marks.hold.holder}
          </Badge>
        </Tooltip>
      )}
      {marks.rolledBackFrom && (
        <Tooltip label="A rollback moved this service off that version; it is marked bad.">
          <Badge size="xs" variant="light" color="orange" tt="none" data-testid="cell-rolled-back">
            rolled back from v{marks.rolledBackFrom}
          </Badge>
        </Tooltip>
      )}
      {marks.badVersions.map((mark) => (
        <Tooltip key={mark.version} label={`Marked bad by ${mark.markedBy}: ${mark.reason}`} multiline maw={320}>
          <Badge
            size="xs"
            variant={isRunningBad && mark.version === cell.deployedVersion ? 'filled' : 'light'}
            color="red"
            tt="none"
            data-testid="cell-bad-version"
          >
            v{mark.version} marked bad
          </Badge>
        </Tooltip>
      ))}
      {marks.isNotDeployedHere && (
        <Tooltip label="The ledger has no deploy of this version from the cockpit: it was deployed some other way.">
          <Badge size="xs" variant="outline" color="gray" tt="none" data-testid="cell-not-deployed-here">
            not deployed from here
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

/**
 * One cell of the grid. Memoised: the grid re-renders every second for its clock, and a cell only
 * needs to when its probe changes (or, showing a last-known version, for its age).
 */
export const CellContent = memo(function CellContent({
  cell,
  now,
  isLinkLost,
}: {
  cell: MatrixCell | undefined;
  /** Now, for the age of a last-known version (required then); leave it out for a cell that answers. */
  now?: number;
  isLinkLost: boolean;
}) {
  if (!cell) return <Text c="dimmed">—</Text>;
  // With the core away, the last probe says nothing of now.
  const style = isLinkLost
    ? { ...statusStyle.unknown, label: 'unknown (core not answering)' }
    : statusStyle[cell.status];
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" c={style.color} fw={600} data-testid="cell-status">
          {style.symbol} {style.label}
        </Text>
        {cell.deployedVersion && (
          <Text size="sm" ff="monospace" data-testid="cell-version" c={cell.isLastKnown ? 'dimmed' : undefined}>
            v{cell.deployedVersion}
            {cell.isLastKnown && now !== undefined ? ` (as of ${ageText(cell.lastUpAt ?? cell.checkedAt, now)})` : ''}
          </Text>
        )}
        {cell.isBehindLatestTag && (
          <Tooltip label={legend['behind tag']}>
            <Badge size="xs" variant="light" color="grape">
              behind tag
            </Badge>
          </Tooltip>
        )}
      </Group>
      <CellMarks cell={cell} />
      <Group gap={6} wrap="nowrap" c="dimmed">
        <Sparkline values={cell.latencyHistory} />
        <Text size="xs">{cell.latencyMs !== undefined ? `${Math.round(cell.latencyMs)} ms` : ''}</Text>
      </Group>
      {cell.error && (
        <Text size="xs" c={style.color} className={classes.error} title={cell.error}>
          {cell.error}
        </Text>
      )}
    </Stack>
  );
});

/** What each mark of the grid means, in words. */
export const legend: Record<string, string> = {
  'behind tag': 'The repository has a newer version tag than what runs here.',
  'since tag': 'Commits on the develop branch since the latest tag: what a release would ship.',
  'promotion pending': 'Staging runs other versions than production: a promotion waits.',
  'not deployed from here': 'The ledger has no deploy of this version from the cockpit: it came some other way.',
  'rolled back from': 'A rollback moved this service off that version, which is marked bad.',
  'marked bad': 'Never deployed again unless a person allows it (or marks it good).',
  'held by': 'A hold stops deploys of this service here until it is lifted.',
};

/** The grid's symbols and chips, explained (each chip also says it on hover). Static: rendered once. */
export const MatrixLegend = memo(function MatrixLegend() {
  return (
    <Group gap="md" data-testid="matrix-legend" aria-label="Legend">
      {(Object.keys(statusStyle) as (keyof typeof statusStyle)[]).map((status) => (
        <Text key={status} size="xs" c={statusStyle[status].color}>
          {statusStyle[status].symbol} {statusStyle[status].label}
        </Text>
      ))}
      {Object.entries(legend).map(([chip, meaning]) => (
        <Tooltip key={chip} label={meaning} multiline maw={320}>
          <Text size="xs" c="dimmed" td="underline dotted" tabIndex={0}>
            {chip}
          </Text>
        </Tooltip>
      ))}
    </Group>
  );
});
