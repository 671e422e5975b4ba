import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { TeamLocksView } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { InlineError } from '../../components/InlineError';
import { useMoment } from '../../hooks/use-moment';

/**
 * Who deploys the environment now from another laptop (the team lock), the holds that stop deploys
 * there, lifting one (gate-override), and placing one with a reason.
 */
export function HoldsPanel(props: { client: CockpitClient; environment: string; services: string[] }) {
  const moment = useMoment();
  const { client, environment } = props;
  const [view, setView] = useState<TeamLocksView>();
  const [reason, setReason] = useState('');
  const [service, setService] = useState('');
  const [error, setError] = useState<string>();
  const load = useCallback(
    () => client.invoke('team:locks', {}).then((reply) => reply.ok && setView(reply.value)),
    [client],
  );
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 30_000);
    return () => clearInterval(refresh);
  }, [load]);
  const hold = async (input: { service?: string; lift?: boolean }) => {
    const reply = await client.invoke('team:hold', { environment, reason, ...input });
    if (!reply.ok) return setError(reply.error.message);
    setError(undefined);
    setReason('');
    setView(reply.value);
  };
  const holds = view?.holds.filter((entry) => entry.environment === environment) ?? [];
  const deploying = view?.deployLocks.find((lock) => lock.environment === environment);
  return (
    <Stack gap={4} data-testid="holds-panel">
      {deploying && (
        <Alert color="blue" p="xs" data-testid="team-lock">
          {deploying.holder.name} is deploying {environment} now (run {deploying.runId}, since {moment(deploying.since)}
          ).
        </Alert>
      )}
      {holds.map((entry) => (
        <Alert key={`${entry.environment}-${entry.service ?? ''}`} color="orange" p="xs" data-testid="hold">
          <Group justify="space-between" gap="xs">
            <Text size="sm">
              {entry.service ? `${entry.service} in ${environment}` : environment} is held by {entry.holder.name} since{' '}
              {moment(entry.since)}: {entry.reason}
            </Text>
            <Button
              size="xs"
              variant="light"
              onClick={() => void hold({ ...(entry.service ? { service: entry.service } : {}), lift: true })}
              data-testid="hold-lift"
            >
              Lift (reason below)
            </Button>
          </Group>
        </Alert>
      ))}
      <Group align="end" gap="xs">
        <NativeSelect
          size="xs"
          label="Hold"
          value={service}
          onChange={(event) => setService(event.currentTarget.value)}
          data={[
            { value: '', label: `all of ${environment}` },
            ...props.services.map((id) => ({ value: id, label: id })),
          ]}
          data-testid="hold-service"
        />
        <TextInput
          size="xs"
          label="Reason (shared with the team)"
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          w={320}
          data-testid="hold-reason"
        />
        <Button
          size="xs"
          variant="light"
          color="orange"
          onClick={() => void hold(service ? { service } : {})}
          data-testid="hold-place"
        >
          Hold
        </Button>
      </Group>
      <InlineError message={error} />
    </Stack>
  );
}
