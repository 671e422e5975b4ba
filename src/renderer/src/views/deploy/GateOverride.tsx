import { Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CockpitClient } from '../../ipc/client';

/** After a deploy stopped on blocking gates: override them with a reason (gate-override role). */
export function GateOverride(props: {
  client: CockpitClient;
  environment: string;
  gates: string[];
  onOverridden: () => void;
}) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string>();
  const override = async () => {
    const reply = await props.client.invoke('policy:override', {
      environment: props.environment,
      gates: props.gates,
      reason,
    });
    if (!reply.ok) return setMessage(reply.error.message);
    setMessage(undefined);
    props.onOverridden();
  };
  return (
    <Group align="end" gap="xs" mt="xs">
      <TextInput
        size="xs"
        label={`Override ${props.gates.join(', ')} — reason (recorded in the ledger)`}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        w={380}
        data-testid="override-reason"
      />
      <Button size="xs" color="orange" onClick={() => void override()} data-testid="override-gates">
        Override for one hour
      </Button>
      {message && (
        <Text size="xs" c="red" w="100%">
          {message}
        </Text>
      )}
    </Group>
  );
}
