import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { DeployRuns } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useDeployStore } from '../../stores/deploy-store';
import { writeNotice } from '../../terminal/terminal-registry';
import { useMoment } from '../../hooks/use-moment';

const stateColor: Record<string, string> = {
  pending: 'gray',
  intent: 'yellow',
  triggered: 'orange',
  succeeded: 'teal',
  failed: 'red',
  skipped: 'gray',
};

const stateLabel: Record<string, string> = {
  pending: 'not started',
  intent: 'about to trigger',
  triggered: 'triggered, unverified',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
};

/** Runs the cockpit stopped in the middle of: each step's last known state, with resume or abandon. */
export function InterruptedRuns({ client }: { client: CockpitClient }) {
  const moment = useMoment();
  const interrupted = useDeployStore((state) => state.interrupted);
  const [error, setError] = useState<string>();
  if (interrupted.length === 0) return null;

  const resume = async (run: DeployRuns['interrupted'][number]) => {
    const reply = await client.invoke('deploy:resume', { runId: run.runId });
    if (!reply.ok) return setError(reply.error.message);
    useDeployStore.getState().dropInterrupted(run.runId);
    useDeployStore.getState().started(reply.value.runId, reply.value.plan, reply.value.logFile);
    writeNotice(
      `Resuming deploy ${run.runId} to ${run.environment}: each unfinished step is checked before anything is triggered.`,
    );
  };

  const abandon = async (run: DeployRuns['interrupted'][number]) => {
    const reply = await client.invoke('deploy:abandon', { runId: run.runId });
    if (!reply.ok) return setError(reply.error.message);
    useDeployStore.getState().dropInterrupted(run.runId);
  };

  return (
    <Stack gap="xs" data-testid="interrupted-runs">
      {interrupted.map((run) => (
        <Alert key={run.runId} color="orange" title={`Deploy to ${run.environment} was interrupted`}>
          <Text size="sm">
            Run {run.runId}, started {moment(run.startedAt)}, stopped before it finished. Resume checks each unfinished
            step (health, version, the provider) before triggering anything, so no step runs twice. Abandon closes the
            run without touching any service.
          </Text>
          <Group gap={6} my="xs">
            {run.steps.map((step) => (
              <Badge key={step.service} color={stateColor[step.state]} variant="light">
                {step.service} v{step.version}: {stateLabel[step.state]}
              </Badge>
            ))}
          </Group>
          <Group gap="xs">
            <Button size="xs" onClick={() => void resume(run)} data-testid="deploy-resume">
              Resume
            </Button>
            <Button size="xs" variant="default" onClick={() => void abandon(run)} data-testid="deploy-abandon">
              Abandon
            </Button>
          </Group>
        </Alert>
      ))}
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
    </Stack>
  );
}
