import { Alert, Badge, Button, Group, List, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { RollbackTriage } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { usePlatformStore } from '../../stores/platform-store';
import { useRollbackStore } from '../../stores/rollback-store';

const symptomOptions = [
  { value: 'service-loss', label: 'Critical error / service down' },
  { value: 'functional-bug', label: 'Functional bug' },
  { value: 'data-corruption', label: 'Data corruption' },
  { value: 'security-breach', label: 'Security breach' },
] as const;

type Symptom = (typeof symptomOptions)[number]['value'];

const stateColor: Record<string, string> = {
  pending: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  abandoned: 'gray',
};

/** The guided rollback: symptom → live state and recommended level → the walk, step by step. */
export function RollbackView({ client }: { client: CockpitClient }) {
  const platform = usePlatformStore((state) => state.current?.platform);
  const rollback = useRollbackStore();
  const [symptom, setSymptom] = useState<Symptom>('service-loss');
  const [service, setService] = useState<string>();
  const [environment, setEnvironment] = useState<string>();
  const [triage, setTriage] = useState<RollbackTriage>();
  const [error, setError] = useState<string>();

  if (!platform) {
    return (
      <Stack p="md" data-testid="view-rollback">
        <Title order={2}>Rollback</Title>
        <Text c="dimmed">Open a platform to roll back one of its services.</Text>
      </Stack>
    );
  }
  const selectedService = service ?? platform.services[0]?.id;
  const selectedEnvironment =
    environment ?? platform.environments.find((candidate) => candidate.isProtected)?.id ?? platform.environments[0]?.id;
  const isRunning = rollback.status === 'running';

  const runTriage = async () => {
    if (!selectedService || !selectedEnvironment) return;
    const reply = await client.invoke('rollback:triage', {
      service: selectedService,
      environment: selectedEnvironment,
      symptom,
    });
    setError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) {
      setTriage(reply.value);
      rollback.reset();
    }
  };

  const startLevelOne = async () => {
    if (!triage) return;
    const reply = await client.invoke('rollback:start', {
      service: triage.service,
      environment: triage.environment,
      level: 1,
      ...(triage.previousStable ? { to: triage.previousStable } : {}),
    });
    setError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) rollback.started(reply.value.rollbackId);
  };

  const levelOne = triage?.levels.find((level) => level.level === 1);
  return (
    <Stack gap="sm" p="md" data-testid="view-rollback">
      <Title order={2}>Rollback</Title>
      <Text size="sm" c="dimmed">
        Start from what you see. Every step says what it will touch before it runs, and is recorded in the ledger.
      </Text>
      <Group align="end" gap="sm">
        <Select
          label="Symptom"
          data={symptomOptions.map((option) => ({ ...option }))}
          value={symptom}
          onChange={(value) => value && setSymptom(value as Symptom)}
          allowDeselect={false}
          w={260}
          data-testid="rollback-symptom"
        />
        <Select
          label="Service"
          data={platform.services.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={selectedService}
          onChange={(value) => value && setService(value)}
          allowDeselect={false}
          w={220}
        />
        <Select
          label="Environment"
          data={platform.environments.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={selectedEnvironment}
          onChange={(value) => value && setEnvironment(value)}
          allowDeselect={false}
          w={180}
          data-testid="rollback-environment"
        />
        <Button onClick={() => void runTriage()} disabled={isRunning} data-testid="rollback-triage">
          Assess
        </Button>
      </Group>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {triage && (
        <Stack gap="xs" data-testid="rollback-assessment">
          <Text size="sm">
            <b>{triage.service}</b> in {triage.environment} is <b>{triage.health.status}</b>
            {triage.health.version ? ` on v${triage.health.version}` : ''}
            {triage.health.detail ? ` (${triage.health.detail})` : ''}. Previous stable version:{' '}
            <b>{triage.previousStable ? `v${triage.previousStable}` : 'none in the ledger'}</b>.
          </Text>
          {triage.lastDeployments.length > 0 && (
            <Text size="xs" c="dimmed">
              Last deployments:{' '}
              {triage.lastDeployments
                .map(
                  (deployment) =>
                    `${deployment.from ?? '?'} → ${deployment.to ?? '?'} (${deployment.status}, ${deployment.by})`,
                )
                .join('; ')}
            </Text>
          )}
          <Alert color="blue" title={`Recommended: level ${triage.recommendedLevel}`}>
            {triage.why}
          </Alert>
          <Table withTableBorder>
            <Table.Tbody>
              {triage.levels.map((level) => (
                <Table.Tr key={level.level}>
                  <Table.Td>Level {level.level}</Table.Td>
                  <Table.Td>{level.title}</Table.Td>
                  <Table.Td>target &lt; {level.targetMinutes} min</Table.Td>
                  <Table.Td>
                    <Text size="xs">{level.note}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {levelOne?.isAvailable && (
            <Group>
              <Button
                color="orange"
                onClick={() => void startLevelOne()}
                disabled={isRunning || !triage.previousStable}
                data-testid="rollback-start"
              >
                Roll back {triage.service} to {triage.previousStable ? `v${triage.previousStable}` : '…'} (level 1)
              </Button>
              {!triage.previousStable && (
                <Text size="xs" c="dimmed">
                  The ledger has no earlier successful deploy: use the command line with --to.
                </Text>
              )}
            </Group>
          )}
        </Stack>
      )}
      {rollback.rollbackId && (
        <Stack gap="xs" data-testid="rollback-walk">
          <Title order={3} size="h4">
            Level 1 — {Math.round(rollback.elapsedMs / 1000)} s of the 5 min target
          </Title>
          {rollback.steps.map((step) => (
            <Group key={step.id} gap="xs" data-testid={`rollback-step-${step.id}`}>
              <Badge color={stateColor[step.state]} variant="light" data-testid="rollback-step-state">
                {step.state}
              </Badge>
              <Text size="sm">{step.title}</Text>
              {step.detail && (
                <Text size="xs" c="dimmed">
                  — {step.detail}
                </Text>
              )}
            </Group>
          ))}
          {rollback.status && rollback.status !== 'running' && (
            <Alert color={rollback.status === 'succeeded' ? 'teal' : 'red'} data-testid="rollback-outcome">
              {rollback.status === 'succeeded'
                ? `Rolled back and verified in ${Math.round(rollback.elapsedMs / 1000)} s.`
                : `The rollback ${rollback.status}.`}
              {rollback.leftToDo.length > 0 && (
                <List size="sm" mt="xs">
                  {rollback.leftToDo.map((item) => (
                    <List.Item key={item}>{item}</List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
        </Stack>
      )}
    </Stack>
  );
}
