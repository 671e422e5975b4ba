import { Alert, Badge, Button, Group, SegmentedControl, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';

import { useHotkeys, useInterval } from '@mantine/hooks';

import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';

import type { MatrixRow, TeamDeployLock } from '../../../../shared/contract';
import { useMoment } from '../../hooks/use-moment';

import type { CockpitClient } from '../../ipc/client';

import { rowMatches, useMatrixStore, type MatrixStatusFilter } from '../../stores/matrix-store';

import { PlatformChooser } from '../../components/PlatformChooser';

import { usePlatformStore } from '../../stores/platform-store';

import { useTeamStore } from '../../stores/team-store';

import { useConnectionStore } from '../../stores/connection-store';

import classes from './MatrixView.module.css';
import { ServiceDetailPanel } from './ServiceDetailPanel';

import { CellContent, MatrixLegend } from './MatrixCellContent';
import { ageText } from './status-style';

/** The home screen: every service × environment, what runs where, whether it is healthy. */
export function MatrixView({ client }: { client: CockpitClient }) {
  const current = usePlatformStore((state) => state.current);
  const platform = current?.platform;
  const snapshot = useMatrixStore((state) => state.snapshot);
  const {
    selectedService,
    selectedEnvironment,
    textFilter,
    statusFilter,
    select,
    setTextFilter,
    setStatusFilter,
    setSnapshot,
  } = useMatrixStore();
  const [now, setNow] = useState(() => Date.now());
  const [isRefreshing, setIsRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string>();
  const grid = useRef<HTMLTableElement>(null);
  const deployLocks = useTeamStore((state) => state.sync?.deployLocks);
  const isLinkLost = useConnectionStore((state) => state.linkLostAt !== undefined);
  useInterval(() => setNow(Date.now()), 1_000, { autoInvoke: true });

  const refresh = async () => {
    setIsRefreshing(true);
    const reply = await client.invoke('matrix:refresh', {});
    setIsRefreshing(false);
    if (reply.ok) setSnapshot(reply.value);
    setRefreshError(reply.ok ? undefined : reply.error.message);
  };
  useHotkeys([['mod+r', () => void refresh()]]);

  const rows = useMemo(
    () => snapshot?.rows.filter((row) => rowMatches(row, snapshot.cells, textFilter, statusFilter)) ?? [],
    [snapshot, textFilter, statusFilter],
  );
  const closeDetails = useCallback(() => select(undefined), [select]);

  if (!platform && current && !current.isOpening) {
    // No platform yet, and none on its way: the three ways to one.
    return (
      <Stack p="md" maw={720} data-testid="view-matrix">
        <Stack gap="xs" data-testid="platform-start">
          <Title order={2}>Open a platform</Title>
          <Text c="dimmed">
            Open your platform file, make one from your Coolify server in a minute, or try the cockpit on its embedded
            demo platform.
          </Text>
          <PlatformChooser client={client} />
        </Stack>
      </Stack>
    );
  }
  if (!platform || !snapshot) {
    return (
      <Stack p="md" data-testid="view-matrix">
        <Title order={2}>Matrix</Title>
        <Text c="dimmed">{platform ? 'Loading the matrix…' : 'Opening the platform…'}</Text>
      </Stack>
    );
  }

  const cellOf = (service: string, environment: string) =>
    snapshot.cells.find((cell) => cell.service === service && cell.environment === environment);

  // Arrow keys move between cells (one tab stop for the whole grid); Enter opens the service.
  const onGridKey = (event: KeyboardEvent<HTMLTableElement>) => {
    const target = event.target as HTMLElement;
    const row = Number(target.dataset.row);
    const column = Number(target.dataset.column);
    if (Number.isNaN(row)) return;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const next = grid.current?.querySelector<HTMLElement>(
        `[data-row="${Math.min(rows.length - 1, Math.max(0, row + move[0]))}"][data-column="${Math.min(snapshot.environments.length, Math.max(0, column + move[1]))}"]`,
      );
      next?.focus();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      // The service's heading opens the service; a cell opens that cell.
      select(rows[row]?.service, column > 0 ? snapshot.environments[column - 1]?.id : undefined);
    } else if (event.key === 'Escape') {
      select(undefined);
    }
  };

  return (
    <div className={classes.layout}>
      <Stack gap="sm" p="md" className={classes.main} data-testid="view-matrix">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2}>Matrix</Title>
            <Text size="sm" c={snapshot.isFromCache ? 'orange' : 'dimmed'} data-testid="matrix-age">
              {snapshot.isFromCache
                ? `Last known state, from ${ageText(snapshot.asOf, now)} — not probed yet`
                : `As of ${ageText(snapshot.asOf, now)}`}
            </Text>
          </Group>
          <Button
            size="xs"
            variant="default"
            onClick={() => void refresh()}
            loading={isRefreshing}
            data-testid="matrix-refresh"
          >
            Refresh now (Ctrl+R)
          </Button>
        </Group>
        {refreshError && <Alert color="red">{refreshError}</Alert>}
        <CloningProgress rows={snapshot.rows} />
        <Group gap="sm" align="end">
          <TextInput
            label="Filter"
            placeholder="service name"
            value={textFilter}
            onChange={(event) => setTextFilter(event.currentTarget.value)}
            w={220}
            data-testid="matrix-filter"
          />
          <SegmentedControl
            size="xs"
            value={statusFilter}
            onChange={(value) => setStatusFilter(value as MatrixStatusFilter)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'problems', label: 'Not up' },
              { value: 'drift', label: 'Waiting to ship' },
            ]}
          />
        </Group>

        <table
          className={classes.grid}
          role="grid"
          aria-label="Services by environment"
          ref={grid}
          onKeyDown={onGridKey}
        >
          <thead>
            <tr>
              <th scope="col">Service</th>
              {snapshot.environments.map((environment) => (
                <th scope="col" key={environment.id}>
                  {environment.name}
                  {environment.isProtected ? ' (protected)' : ''}
                  <DeployingBadge lock={deployLocks?.find((lock) => lock.environment === environment.id)} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, rowIndex) => (
              <tr
                key={row.service}
                className={row.service === selectedService ? classes.selected : undefined}
                data-testid={`matrix-row-${row.service}`}
              >
                <th
                  scope="row"
                  tabIndex={rowIndex === 0 ? 0 : -1}
                  data-row={rowIndex}
                  data-column={0}
                  onClick={() => select(row.service)}
                  className={classes.serviceCell}
                >
                  <ServiceHeading row={row} />
                </th>
                {snapshot.environments.map((environment, columnIndex) => {
                  const cell = cellOf(row.service, environment.id);
                  return (
                    <td
                      key={environment.id}
                      tabIndex={-1}
                      data-row={rowIndex}
                      data-column={columnIndex + 1}
                      onClick={() => select(row.service, environment.id)}
                      aria-selected={row.service === selectedService && environment.id === selectedEnvironment}
                      data-testid={`cell-${row.service}-${environment.id}`}
                      data-status={cell?.status}
                    >
                      <CellContent cell={cell} now={cell?.isLastKnown ? now : undefined} isLinkLost={isLinkLost} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <Text c="dimmed">No service matches the filter.</Text>}
        <MatrixLegend />
      </Stack>
      {selectedService && (
        <ServiceDetailPanel
          client={client}
          service={selectedService}
          environment={selectedEnvironment}
          onClose={closeDetails}
        />
      )}
    </div>
  );
}

/** "Cloning repositories 3/7" while the cockpit makes the clones it manages. */
function CloningProgress({ rows }: { rows: MatrixRow[] }) {
  const managed = rows.filter((row) => row.repo?.isManaged);
  const cloning = managed.filter((row) => row.repo?.isCloning).length;
  if (cloning === 0) return null;
  return (
    <Text size="sm" c="blue" data-testid="matrix-cloning">
      Cloning repositories {managed.length - cloning}/{managed.length}…
    </Text>
  );
}

/** Someone of the team deploys this environment now (its team lock, as of the last sync). */
function DeployingBadge({ lock }: { lock: TeamDeployLock | undefined }) {
  if (!lock) return null;
  return (
    <Tooltip label={`Run ${lock.runId}, since ${lock.since}; lease until ${lock.leaseUntil}`}>
      <Badge ml={6} size="xs" variant="filled" color="blue" tt="none" data-testid="environment-deploying">
        {lock.holder.name} deploying
      </Badge>
    </Tooltip>
  );
}

/** A row's heading: its name, tag and repository state. Memoised: it changes with a snapshot, not with the clock. */
const ServiceHeading = memo(function ServiceHeading({ row }: { row: MatrixRow }) {
  const moment = useMoment();
  const repo = row.repo;
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {row.name}
      </Text>
      <Group gap={4}>
        {repo?.latestTag && (
          <Badge size="xs" variant="outline" tt="none" data-testid="latest-tag">
            {repo.latestTag}
          </Badge>
        )}
        {repo?.commitsSinceTag ? (
          <Badge size="xs" variant="light" color="grape">
            +{repo.commitsSinceTag} since tag
          </Badge>
        ) : null}
        {repo?.developAheadOfMain ? (
          <Badge size="xs" variant="light" color="gray">
            develop +{repo.developAheadOfMain}
          </Badge>
        ) : null}
        {row.hasPromotionPending && (
          <Badge size="xs" variant="light" color="blue">
            promotion pending
          </Badge>
        )}
        {repo?.isDirty && (
          <Badge size="xs" variant="light" color="orange">
            dirty tree
          </Badge>
        )}
        {repo?.isCloning && (
          <Badge size="xs" variant="light" color="blue" data-testid="repo-cloning">
            cloning…
          </Badge>
        )}
        {repo?.error && (
          <Tooltip label={repo.error} multiline w={360}>
            <Badge size="xs" variant="light" color="red">
              repo problem
            </Badge>
          </Tooltip>
        )}
        {repo?.fetchProblem && (
          <Tooltip
            label={`Could not fetch: ${repo.fetchProblem}. Shown from the last fetch${repo.lastFetchAt ? ` (${moment(repo.lastFetchAt)})` : ''}.`}
            multiline
            w={360}
          >
            <Badge size="xs" variant="light" color="orange" data-testid="repo-offline">
              last fetch
              {repo.lastFetchAt ? ` ${moment(repo.lastFetchAt, { isAbsoluteOnly: true })}` : ''}
            </Badge>
          </Tooltip>
        )}
        {repo?.notes && repo.notes.length > 0 && (
          <Tooltip label={repo.notes.join(' ')} multiline w={360}>
            <Badge size="xs" variant="light" color="gray">
              local changes kept
            </Badge>
          </Tooltip>
        )}
      </Group>
    </Stack>
  );
});
