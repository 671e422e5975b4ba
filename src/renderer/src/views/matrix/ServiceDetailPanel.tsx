import { Alert, Badge, CloseButton, Group, List, Stack, Text, Title } from '@mantine/core';
import { memo } from 'react';
import { useMoment } from '../../hooks/use-moment';
import type { CockpitClient } from '../../ipc/client';
import { MarkVersion } from '../../components/MarkVersion';
import { useCommand } from '../../hooks/use-command';
import { useMatrixStore } from '../../stores/matrix-store';
import { CellDetails } from './CellDetails';
import classes from './MatrixView.module.css';

/**
 * The selected service: commits waiting since its latest tag, its tags, its last deployments.
 * Memoised: the grid beside it re-renders every second for its clock; the panel changes with a snapshot.
 */
export const ServiceDetailPanel = memo(function ServiceDetailPanel({
  client,
  service,
  environment,
  onClose,
}: {
  client: CockpitClient;
  service: string;
  /** A cell was chosen: its details and actions come first. */
  environment?: string;
  onClose(): void;
}) {
  const moment = useMoment();
  const snapshot = useMatrixStore((state) => state.snapshot);
  const serviceName = snapshot?.rows.find((row) => row.service === service)?.name ?? service;
  const cell = snapshot?.cells.find(
    (candidate) => candidate.service === service && candidate.environment === environment,
  );
  const environmentName = snapshot?.environments.find((candidate) => candidate.id === environment)?.name ?? environment;
  const { value: details, error } = useCommand(client, 'matrix:details', { service }, service);

  return (
    <Stack
      gap="sm"
      p="md"
      className={classes.panel}
      component="aside"
      aria-label={`Details of ${serviceName}`}
      data-testid="service-details"
    >
      <Group justify="space-between">
        <Title order={3} size="h4">
          {serviceName}
        </Title>
        <CloseButton aria-label="Close details (Esc)" onClick={onClose} />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {cell && environmentName && (
        <CellDetails
          cell={cell}
          serviceName={serviceName}
          environmentName={environmentName}
          deployments={details?.deployments}
        />
      )}
      <RunningVersions client={client} service={service} />
      {details?.error && <Alert color="yellow">{details.error}</Alert>}
      {details && (
        <>
          <Stack gap={4}>
            <Text fw={600} size="sm">
              Commits since {details.tags[0]?.name ?? 'the first commit'} ({details.commitsSinceTag.length})
            </Text>
            {details.commitsSinceTag.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing waiting to ship.
              </Text>
            ) : (
              <List size="sm" spacing={2} data-testid="commits-since-tag">
                {details.commitsSinceTag.map((commit) => (
                  <List.Item key={commit.hash}>
                    <Text size="sm" span ff="monospace">
                      {commit.hash.slice(0, 7)}
                    </Text>{' '}
                    {commit.subject}{' '}
                    <Text size="xs" span c="dimmed">
                      — {commit.author}
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
          <Stack gap={4}>
            <Text fw={600} size="sm">
              Tags
            </Text>
            <Group gap={4}>
              {details.tags.map((tag) => (
                <Badge
                  key={tag.name}
                  variant="outline"
                  tt="none"
                  size="sm"
                  title={tag.date ? moment(tag.date) : undefined}
                >
                  {tag.name}
                </Badge>
              ))}
            </Group>
          </Stack>
          <Stack gap={4}>
            <Text fw={600} size="sm">
              Last deployments
            </Text>
            {details.deployments.length === 0 ? (
              <Text size="sm" c="dimmed">
                None recorded in the ledger yet.
              </Text>
            ) : (
              <List size="sm">
                {details.deployments.map((record) => (
                  <List.Item key={record.id}>
                    {moment(record.time)} — {record.summary} ({record.status})
                  </List.Item>
                ))}
              </List>
            )}
          </Stack>
        </>
      )}
    </Stack>
  );
});

/** What each environment runs, with the marks the ledger holds, and marking a version bad or good. */
function RunningVersions({ client, service }: { client: CockpitClient; service: string }) {
  const snapshot = useMatrixStore((state) => state.snapshot);
  const cells = snapshot?.cells.filter((cell) => cell.service === service) ?? [];
  const bad = new Set(cells.flatMap((cell) => cell.marks?.badVersions.map((mark) => mark.version) ?? []));
  return (
    <Stack gap={4} data-testid="service-versions">
      <Text fw={600} size="sm">
        Versions running
      </Text>
      {cells.map((cell) => (
        <Group key={cell.environment} gap="xs">
          <Text size="sm" w={100}>
            {cell.environment}
          </Text>
          <Text size="sm" ff="monospace">
            {cell.deployedVersion ? `v${cell.deployedVersion}` : 'unknown'}
          </Text>
          {cell.deployedVersion && !bad.has(cell.deployedVersion) && (
            <MarkVersion client={client} service={service} version={cell.deployedVersion} verdict="bad" />
          )}
        </Group>
      ))}
      {[...bad].map((version) => (
        <Group key={version} gap="xs">
          <Text size="sm" c="red">
            v{version} is marked bad
          </Text>
          <MarkVersion client={client} service={service} version={version} verdict="good" />
        </Group>
      ))}
    </Stack>
  );
}
