import { Alert, Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { RollbackTriage } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { usePlatformStore } from '../../stores/platform-store';
import { useRollbackStore } from '../../stores/rollback-store';
import { intentFor } from '../../stores/view-store';
import { LevelChoices } from './LevelChoices';
import { Runbook } from './Runbook';
import { RollbackWalk } from './RollbackWalk';

const symptomOptions = [
  { value: 'service-loss', label: 'Critical error / service down' },
  { value: 'functional-bug', label: 'Functional bug' },
  { value: 'data-corruption', label: 'Data corruption' },
  { value: 'security-breach', label: 'Security breach' },
] as const;

type Symptom = (typeof symptomOptions)[number]['value'];
type Level = 1 | 2 | 3;

/** The guided rollback: symptom → live state and recommended level → the choices → the walk. */
export function RollbackView({ client }: { client: CockpitClient }) {
  const platform = usePlatformStore((state) => state.current?.platform);
  const progress = useRollbackStore((state) => state.progress);
  const resetWalk = useRollbackStore((state) => state.reset);
  const suggestion = useRollbackStore((state) => state.suggestion);
  const [symptom, setSymptom] = useState<Symptom>('service-loss');
  const [service, setService] = useState<string | undefined>(() => intentFor('rollback')?.service);
  const [environment, setEnvironment] = useState<string | undefined>(() => intentFor('rollback')?.environment);
  const [triage, setTriage] = useState<RollbackTriage>();
  const [level, setLevel] = useState<Level>();
  const [error, setError] = useState<string>();
  const [assessedAt, setAssessedAt] = useState(0);

  if (!platform) {
    return (
      <Stack p="md" data-testid="view-rollback">
        <Title order={2}>Rollback</Title>
        <Text c="dimmed">Open a platform to roll back one of its services.</Text>
      </Stack>
    );
  }
  const selectedService = service ?? suggestion?.service ?? platform.services[0]?.id;
  const selectedEnvironment =
    environment ??
    suggestion?.environment ??
    platform.environments.find((candidate) => candidate.isProtected)?.id ??
    platform.environments[0]?.id;
  const isRunning = progress?.status === 'running';

  /** Assesses the service now; a new assessment starts a new walk, unless it follows one that ended. */
  const runTriage = async (keepWalk = false) => {
    if (!selectedService || !selectedEnvironment) return;
    const reply = await client.invoke('rollback:triage', {
      service: selectedService,
      environment: selectedEnvironment,
      symptom,
    });
    setError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) {
      setTriage(reply.value);
      setAssessedAt(Date.now());
      setLevel(reply.value.recommendedLevel);
      if (!keepWalk) resetWalk();
    }
  };

  const chosen = triage?.levels.find((candidate) => candidate.level === level);
  // A verified rollback changed what the assessment saw: it is not offered again as it was.
  const isOutdated =
    progress?.status === 'succeeded' &&
    triage !== undefined &&
    progress.service === triage.service &&
    progress.environment === triage.environment &&
    Date.parse(progress.startedAt) >= assessedAt;
  const symptomLabel = symptomOptions.find((option) => option.value === triage?.symptom)?.label ?? '';
  return (
    <Stack gap="sm" p="md" data-testid="view-rollback">
      <Title order={2}>Rollback</Title>
      <Text size="sm" c="dimmed">
        Start from what you see. Every step says what it will touch before it runs, asks before it changes anything, and
        is recorded in the ledger.
      </Text>
      <Group align="end" gap="sm">
        <Select
          label="Symptom"
          data={symptomOptions.map((option) => ({ ...option }))}
          value={symptom}
          onChange={(value) => value && setSymptom(value as Symptom)}
          allowDeselect={false}
          w={260}
          disabled={isRunning}
          data-testid="rollback-symptom"
        />
        <Select
          label="Service"
          data={platform.services.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={selectedService}
          onChange={(value) => value && setService(value)}
          allowDeselect={false}
          w={220}
          disabled={isRunning}
          data-testid="rollback-service"
        />
        <Select
          label="Environment"
          data={platform.environments.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
          value={selectedEnvironment}
          onChange={(value) => value && setEnvironment(value)}
          allowDeselect={false}
          w={180}
          disabled={isRunning}
          data-testid="rollback-environment"
        />
        <Button onClick={() => void runTriage(isOutdated)} disabled={isRunning} data-testid="rollback-triage">
          Assess
        </Button>
      </Group>
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {isOutdated && (
        <Alert color="teal" title="Rolled back: the assessment above is from before" data-testid="rollback-reassess">
          <Group gap="sm">
            <Text size="sm">Assess again to see the service as it is now before doing anything more.</Text>
            <Button size="xs" onClick={() => void runTriage(true)} data-testid="rollback-reassess-button">
              Assess again
            </Button>
          </Group>
        </Alert>
      )}
      {triage && !isOutdated && (
        <Stack gap="xs" data-testid="rollback-assessment">
          <Text size="sm">
            <b>{triage.service}</b> in {triage.environment} is <b>{triage.health.status}</b>
            {triage.health.version ? ` on v${triage.health.version}` : ''}
            {triage.health.detail ? ` (${triage.health.detail})` : ''}. Previous stable version:{' '}
            <b>{triage.previousStable ? `v${triage.previousStable}` : 'none in the ledger'}</b>.
          </Text>
          {triage.lastKnown && (
            <Text size="sm" data-testid="rollback-last-known">
              Last known state: v{triage.lastKnown.version ?? '?'}
              {triage.lastKnown.lastUpAt ? `, last up at ${triage.lastKnown.lastUpAt}` : ''}
              {triage.lastKnown.checkedAt ? ` (checked ${triage.lastKnown.checkedAt})` : ''}.
            </Text>
          )}
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
          <Table withTableBorder data-testid="rollback-levels">
            <Table.Tbody>
              {triage.levels.map((candidate) => (
                <Table.Tr key={candidate.level}>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant={candidate.level === level ? 'filled' : 'default'}
                      disabled={!candidate.isAvailable || isRunning}
                      onClick={() => setLevel(candidate.level)}
                      aria-pressed={candidate.level === level}
                      data-testid={`rollback-level-${candidate.level}`}
                    >
                      Level {candidate.level}
                    </Button>
                  </Table.Td>
                  <Table.Td>{candidate.title}</Table.Td>
                  <Table.Td>target &lt; {candidate.targetMinutes} min</Table.Td>
                  <Table.Td>
                    <Text size="xs">{candidate.note}</Text>
                  </Table.Td>
                  <Table.Td>
                    {candidate.level === triage.recommendedLevel && (
                      <Badge variant="light" size="sm">
                        recommended
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {chosen?.isAvailable && (
            <>
              <Runbook level={chosen.level} steps={chosen.runbook} />
              <LevelChoices
                key={`${triage.service}/${triage.environment}/${chosen.level}`}
                client={client}
                triage={triage}
                level={chosen.level}
                defaultReason={symptomLabel}
                isDisabled={isRunning}
                onError={setError}
              />
            </>
          )}
        </Stack>
      )}
      {progress && <RollbackWalk client={client} progress={progress} slackChannels={platform.slackChannels} />}
    </Stack>
  );
}
