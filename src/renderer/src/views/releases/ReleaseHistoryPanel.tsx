import { Alert, Badge, Group, Spoiler, Table, Text } from '@mantine/core';
import type { CockpitClient } from '../../ipc/client';
import { useCommand } from '../../hooks/use-command';
import { useMoment } from '../../hooks/use-moment';

/** A service's releases, newest first: the tag, when and by whom it was made, and its notes. */
export function ReleaseHistoryPanel({
  client,
  service,
  revision,
}: {
  client: CockpitClient;
  service: string;
  /** Changes when a release was cut here, so the list is read again. */
  revision: number;
}) {
  const moment = useMoment();
  const { value: history, error } = useCommand(client, 'release:history', { service }, `${service}/${revision}`);

  if (error) return <Alert color="yellow">{error}</Alert>;
  if (!history) return <Text c="dimmed">Reading the tags…</Text>;
  if (history.releases.length === 0) return <Text c="dimmed">No release yet: no version tag in the repository.</Text>;
  return (
    <Table withTableBorder verticalSpacing={6} data-testid="release-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Release</Table.Th>
          <Table.Th>Made</Table.Th>
          <Table.Th>By</Table.Th>
          <Table.Th>Notes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {history.releases.map((release, index) => (
          <Table.Tr key={release.tag} data-testid={`release-history-${release.tag}`}>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <Text size="sm" ff="monospace" fw={600}>
                  {release.tag}
                </Text>
                {index === 0 && (
                  <Badge size="xs" variant="light" tt="none">
                    latest
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" ff="monospace" title={release.commit}>
                {release.commit.slice(0, 7)}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{moment(release.date)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{release.author || '—'}</Text>
            </Table.Td>
            <Table.Td maw={560}>
              {release.notes ? (
                <Spoiler maxHeight={44} showLabel="More" hideLabel="Less">
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                    {release.notes}
                  </Text>
                </Spoiler>
              ) : (
                <Text size="xs" c="dimmed">
                  A lightweight tag: no notes.
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
