import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DeployHistory, DeployHistoryRun } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { MarkVersion } from '../../components/MarkVersion';
import { showLog } from '../../terminal/terminal-registry';
import { useMoment } from '../../hooks/use-moment';

const statusColor: Record<DeployHistoryRun['status'], string> = {
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'yellow',
  interrupted: 'orange',
};

/** Every run to the environment: who, when, versions, duration, status; its log; redeploy its versions. */
export function DeployHistoryPanel(props: {
  client: CockpitClient;
  environment: string;
  /** Changes when a run ends, so the list is read again. */
  refreshKey: unknown;
  onRedeploy: (versions: Record<string, string>) => void;
}) {
  const moment = useMoment();
  const { client, environment } = props;
  const [history, setHistory] = useState<DeployHistory>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let isCurrent = true;
    void client.invoke('deploy:history', { environment }).then((reply) => {
      if (!isCurrent) return;
      if (reply.ok) setHistory(reply.value);
      setError(reply.ok ? undefined : reply.error.message);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, environment, props.refreshKey]);

  const openLog = async (run: DeployHistoryRun) => {
    const reply = await client.invoke('deploy:read-log', { runId: run.runId });
    if (!reply.ok) return setError(reply.error.message);
    showLog(
      `Log of run ${run.runId} (${run.status})${reply.value.isTruncated ? ' — its last 5 MB' : ''}:`,
      reply.value.text,
    );
  };

  const download = async (run: DeployHistoryRun) => {
    const reply = await client.invoke('deploy:read-log', { runId: run.runId });
    if (!reply.ok) return setError(reply.error.message);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([reply.value.text], { type: 'text/plain' }));
    link.download = `${run.runId}.log`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  if (!history) return error ? <Alert color="red">{error}</Alert> : null;
  if (history.runs.length === 0)
    return (
      <Text c="dimmed" size="sm">
        No deploy to {environment} yet.
      </Text>
    );
  return (
    <Stack gap="xs" data-testid="deploy-history">
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Run</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>Versions</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.runs.map((run) => (
            <Table.Tr key={run.runId} data-testid={`history-run-${run.runId}`}>
              <Table.Td>
                <Text size="sm">{moment(run.startedAt)}</Text>
                <Text size="xs" c="dimmed">
                  {run.runId}
                  {run.durationMs !== undefined ? ` · ${Math.round(run.durationMs / 1000)} s` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={statusColor[run.status]} variant="light">
                  {run.status}
                </Badge>
              </Table.Td>
              <Table.Td>{run.actor.name}</Table.Td>
              <Table.Td>
                {run.steps.map((step) => (
                  <Group key={step.service} gap={6} wrap="nowrap">
                    <Text size="xs">
                      {step.service}: {step.from ? `v${step.from}` : 'v?'} → v{step.to} ({step.status})
                    </Text>
                    {step.status === 'succeeded' && (
                      <MarkVersion client={client} service={step.service} version={step.to} verdict="bad" />
                    )}
                  </Group>
                ))}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() => void openLog(run)}
                    data-testid="history-open-log"
                  >
                    Show log
                  </Button>
                  <Button size="compact-xs" variant="default" onClick={() => void download(run)}>
                    Download
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="default"
                    onClick={() =>
                      props.onRedeploy(Object.fromEntries(run.steps.map((step) => [step.service, step.to])))
                    }
                  >
                    Plan these versions
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
