import { Alert, Badge, Button, Group, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CockpitClient } from '../../ipc/client';
import { openLedgerOn } from '../../stores/ledger-store';
import { useRollbackStore, type RollbackProgress } from '../../stores/rollback-store';
import { PostMortemDraft } from './PostMortemDraft';
import { RollbackNotices } from './RollbackNotices';
import classes from './RollbackWalk.module.css';
import { formatDuration } from '../../../../shared/time-format';

const stateColor: Record<string, string> = {
  pending: 'gray',
  waiting: 'yellow',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  abandoned: 'gray',
};

// Colours and cursor moves from the commands' output are not shown in the plain output pane.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

interface RollbackWalkProps {
  client: CockpitClient;
  progress: RollbackProgress;
  slackChannels: { id: string; purpose?: string }[];
}

/** The walk: each step with what it touches and its state, the question it waits on, its output. */
export function RollbackWalk({ client, progress, slackChannels }: RollbackWalkProps) {
  const output = useRollbackStore((state) => state.output);
  const [error, setError] = useState<string>();
  const { awaiting, status } = progress;
  const elapsedMs = useElapsed(progress);
  const seconds = Math.round(elapsedMs / 1000);
  const isOverTarget = elapsedMs > progress.targetMinutes * 60_000;

  const decide = async (decision: 'continue' | 'retry' | 'abandon') => {
    const reply = await client.invoke('rollback:decide', { rollbackId: progress.rollbackId, decision });
    setError(reply.ok ? undefined : reply.error.message);
  };

  return (
    <Stack gap="xs" data-testid="rollback-walk">
      <Group justify="space-between">
        <Title order={3} size="h4">
          Level {progress.level} — {progress.service} in {progress.environment} —{' '}
          <Text span c={isOverTarget ? 'red' : undefined} inherit data-testid="rollback-elapsed">
            {seconds} s of the {progress.targetMinutes} min target
          </Text>
        </Title>
        {status === 'running' && (
          <Button variant="default" color="red" onClick={() => void decide('abandon')} data-testid="rollback-abandon">
            Abandon
          </Button>
        )}
      </Group>
      {progress.steps.map((step) => (
        <Stack key={step.id} gap={0} data-testid={`rollback-step-${step.id}`}>
          <Group gap="xs">
            <Badge color={stateColor[step.state]} variant="light" data-testid="rollback-step-state">
              {step.state}
            </Badge>
            <Text size="sm" fw={500}>
              {step.title}
            </Text>
            {step.needsNetwork && (
              <Badge size="xs" variant="outline" color="yellow">
                network
              </Badge>
            )}
            {step.elapsedMs !== undefined && (
              <Text size="xs" c="dimmed">
                {formatDuration(step.elapsedMs)}
              </Text>
            )}
          </Group>
          <Text size="xs" c="dimmed" pl="xs">
            {step.detail ?? step.touches}
          </Text>
        </Stack>
      ))}
      {awaiting && status === 'running' && (
        <Alert
          color={awaiting.kind === 'retry' ? 'red' : 'orange'}
          title={awaiting.kind === 'retry' ? 'The step failed' : 'Next step changes something'}
          data-testid="rollback-question"
        >
          <Text size="sm">{awaiting.question}</Text>
          <Group mt="xs">
            <Button
              autoFocus
              color={awaiting.kind === 'retry' ? 'red' : 'orange'}
              onClick={() => void decide(awaiting.kind === 'retry' ? 'retry' : 'continue')}
              data-testid="rollback-continue"
            >
              {awaiting.kind === 'retry' ? 'Retry the step' : 'Continue'}
            </Button>
            <Button variant="default" onClick={() => void decide('abandon')}>
              Abandon here
            </Button>
          </Group>
        </Alert>
      )}
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
      {output && (
        <pre className={classes.output} data-testid="rollback-output" aria-label="Output of the steps">
          {output.replace(ansiPattern, '').split('\n').slice(-200).join('\n')}
        </pre>
      )}
      {status !== 'running' && (
        <Alert color={status === 'succeeded' ? 'teal' : 'red'} data-testid="rollback-outcome">
          {status === 'succeeded'
            ? `Rolled back and verified in ${formatDuration(elapsedMs)} (the rollback itself, from its start to the verified health check).`
            : `The rollback ${status} after ${formatDuration(elapsedMs)}.`}
          {progress.leftToDo.length > 0 && (
            <>
              <Text size="sm" mt="xs">
                Left to do:
              </Text>
              <List size="sm">
                {progress.leftToDo.map((item) => (
                  <List.Item key={item}>{item}</List.Item>
                ))}
              </List>
            </>
          )}
        </Alert>
      )}
      {status !== 'running' && (
        <Group>
          <Button
            size="xs"
            variant="default"
            onClick={() => openLedgerOn({ search: progress.rollbackId })}
            data-testid="rollback-records"
          >
            Its records in the ledger
          </Button>
        </Group>
      )}
      {status !== 'running' && <PostMortemDraft client={client} rollbackId={progress.rollbackId} />}
      {progress.notices && (
        <RollbackNotices
          client={client}
          notices={progress.notices}
          rollbackId={progress.rollbackId}
          slackChannels={slackChannels}
        />
      )}
    </Stack>
  );
}

/** The elapsed time, ticking every second while the rollback runs (events only come on changes). */
function useElapsed(progress: RollbackProgress): number {
  const [now, setNow] = useState(() => Date.now());
  const isRunning = progress.status === 'running';
  useEffect(() => {
    if (!isRunning) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [isRunning]);
  return isRunning ? Math.max(progress.elapsedMs, now - Date.parse(progress.startedAt)) : progress.elapsedMs;
}
