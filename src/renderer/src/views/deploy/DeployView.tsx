import { Alert, Badge, Button, Group, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { DeployStepProgress, GateVerdict } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useDeployStore } from '../../stores/deploy-store';
import { usePlatformStore } from '../../stores/platform-store';
import { writeNotice } from '../../terminal/terminal-registry';
import { DeployTerminal } from './DeployTerminal';
import { DeployNotices } from './DeployNotices';
import { GateOverride } from './GateOverride';
import { InterruptedRuns } from './InterruptedRuns';
import { PromotionPanel } from './PromotionPanel';
import { WindowBanner } from './WindowBanner';

const statusColor: Record<DeployStepProgress['status'], string> = {
  pending: 'gray',
  running: 'blue',
  verifying: 'indigo',
  succeeded: 'teal',
  failed: 'red',
  skipped: 'gray',
  'not-started': 'gray',
};

const verdictColor: Record<GateVerdict, string> = { pass: 'teal', warn: 'yellow', block: 'red', unknown: 'gray' };

/** Plan a deploy, start it, follow each step and the live logs. */
export function DeployView({ client }: { client: CockpitClient }) {
  const platform = usePlatformStore((state) => state.current?.platform);
  const { plan, runId, steps, outcome, logFile, setPlan, started } = useDeployStore();
  const [environment, setEnvironment] = useState<string>();
  const [error, setError] = useState<string>();
  const [blockedGates, setBlockedGates] = useState<string[]>();
  const [isBusy, setIsBusy] = useState(false);
  const selected =
    environment ??
    platform?.environments.find((candidate) => !candidate.isProtected)?.id ??
    platform?.environments[0]?.id;
  const isRunning = runId !== undefined && outcome === undefined;

  if (!platform || !selected) {
    return (
      <Stack p="md" data-testid="view-deploy">
        <Title order={2}>Deploy</Title>
        <Text c="dimmed">Open a platform to deploy it.</Text>
      </Stack>
    );
  }

  const makePlan = async () => {
    setIsBusy(true);
    const reply = await client.invoke('deploy:plan', { environment: selected });
    setIsBusy(false);
    if (reply.ok) setPlan(reply.value);
    setError(reply.ok ? undefined : reply.error.message);
  };

  const start = async () => {
    setIsBusy(true);
    const reply = await client.invoke('deploy:start', { environment: selected });
    setIsBusy(false);
    if (reply.ok) {
      started(reply.value.runId, reply.value.plan, reply.value.logFile);
      writeNotice(`Deploy ${reply.value.runId} to ${selected} started.`);
    }
    setError(reply.ok ? undefined : reply.error.message);
    const details = reply.ok ? undefined : (reply.error.details as { gates?: string[] } | undefined);
    setBlockedGates(!reply.ok && reply.error.code === 'GATE_BLOCKED' ? details?.gates : undefined);
  };

  const cancel = async () => {
    if (!runId) return;
    const reply = await client.invoke('deploy:cancel', { runId });
    if (!reply.ok) setError(reply.error.message);
  };

  return (
    <Stack gap="sm" p="md" data-testid="view-deploy">
      <Title order={2}>Deploy</Title>
      <InterruptedRuns client={client} />
      <Group align="end" gap="sm">
        <Select
          label="Environment"
          data={platform.environments.map((candidate) => ({
            value: candidate.id,
            label: `${candidate.name}${candidate.isProtected ? ' (protected)' : ''}`,
          }))}
          value={selected}
          onChange={(value) => {
            setEnvironment(value ?? undefined);
            setPlan(undefined);
          }}
          allowDeselect={false}
          disabled={isRunning}
          w={220}
        />
        <Button
          variant="default"
          onClick={() => void makePlan()}
          loading={isBusy && !isRunning}
          disabled={isRunning}
          data-testid="deploy-plan"
        >
          Plan
        </Button>
        <Button onClick={() => void start()} disabled={!plan || isRunning} data-testid="deploy-start">
          Start deploy
        </Button>
        {isRunning && (
          <Button color="red" variant="light" onClick={() => void cancel()} data-testid="deploy-cancel">
            Cancel
          </Button>
        )}
      </Group>
      <WindowBanner client={client} environment={selected} />
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
          {blockedGates && (
            <GateOverride
              client={client}
              environment={selected}
              gates={blockedGates}
              onOverridden={() => {
                setBlockedGates(undefined);
                setError(undefined);
              }}
            />
          )}
        </Alert>
      )}
      {outcome && (
        <Alert
          color={outcome.status === 'succeeded' ? 'teal' : outcome.status === 'cancelled' ? 'yellow' : 'red'}
          data-testid="deploy-outcome"
        >
          {outcome.detail} Full log: {logFile}
        </Alert>
      )}
      {outcome && runId && <DeployNotices client={client} runId={runId} />}
      <PromotionPanel client={client} isRunning={isRunning} />
      {plan && (
        <Table withTableBorder data-testid="deploy-steps">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Wave</Table.Th>
              <Table.Th>Service</Table.Th>
              <Table.Th>Change</Table.Th>
              <Table.Th>Checks</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.waves.flatMap((wave, index) =>
              wave.map((step) => {
                const progress = steps[step.service];
                return (
                  <Table.Tr key={step.service} data-testid={`deploy-step-${step.service}`}>
                    <Table.Td>{index + 1}</Table.Td>
                    <Table.Td>{step.service}</Table.Td>
                    <Table.Td>{step.action === 'skip' ? `skip: ${step.reason}` : step.reason}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {step.gates?.map((gate) => (
                          <Tooltip key={gate.id} label={gate.evidence} multiline maw={360}>
                            <Badge
                              color={verdictColor[gate.verdict]}
                              variant="outline"
                              size="sm"
                              data-testid={`gate-${gate.id}`}
                            >
                              {gate.title}: {gate.verdict}
                            </Badge>
                          </Tooltip>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={statusColor[progress?.status ?? 'pending']}
                        variant="light"
                        data-testid="deploy-step-status"
                      >
                        {progress?.status ?? (runId ? 'pending' : 'planned')}
                      </Badge>{' '}
                      <Text span size="xs" c="dimmed">
                        {progress?.detail}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              }),
            )}
          </Table.Tbody>
        </Table>
      )}
      <DeployTerminal />
    </Stack>
  );
}
