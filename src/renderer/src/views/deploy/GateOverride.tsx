import { Button, Group, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CockpitClient } from '../../ipc/client';

/**
 * After a deploy stopped on blocking gates: override them with a reason (gate-override role) — or,
 * where four eyes applies, request the override for another approver.
 */
export function GateOverride(props: {
  client: CockpitClient;
  environment: string;
  gates: string[];
  onOverridden: () => void;
}) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string>();
  const [fourEyes, setFourEyes] = useState(false);
  const [requested, setRequested] = useState<string>();
  useEffect(() => {
    void props.client
      .invoke('policy:window', { environment: props.environment })
      .then((reply) => reply.ok && setFourEyes(reply.value.fourEyes === true));
  }, [props.client, props.environment]);
  const request = async () => {
    const reply = await props.client.invoke('approvals:request-override', {
      environment: props.environment,
      gates: props.gates,
      reason,
    });
    if (!reply.ok) return setMessage(reply.error.message);
    setMessage(undefined);
    setRequested('Requested: another approver must approve it in the approvals panel.');
  };
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
      {fourEyes ? (
        <Button size="xs" color="orange" onClick={() => void request()} data-testid="override-request">
          Request an override (four eyes)
        </Button>
      ) : (
        <Button size="xs" color="orange" onClick={() => void override()} data-testid="override-gates">
          Override for one hour
        </Button>
      )}
      {requested && (
        <Text size="xs" w="100%">
          {requested}
        </Text>
      )}
      {message && (
        <Text size="xs" c="red" w="100%">
          {message}
        </Text>
      )}
    </Group>
  );
}
