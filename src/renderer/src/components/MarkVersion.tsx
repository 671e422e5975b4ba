import { Button, Group, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CockpitClient } from '../ipc/client';

/**
 * Marks a version bad — no plan proposes it again and a start refuses it unless a person allows
 * it — or good again, with a reason (a ledger record).
 */
export function MarkVersion(props: {
  client: CockpitClient;
  service: string;
  version: string;
  verdict: 'bad' | 'good';
  onMarked?: () => void;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string>();
  const label = props.verdict === 'bad' ? `Mark v${props.version} bad` : `Mark v${props.version} good again`;
  if (!isOpen)
    return (
      <Button
        size="compact-xs"
        variant="light"
        color={props.verdict === 'bad' ? 'red' : 'teal'}
        onClick={() => setIsOpen(true)}
        data-testid={`mark-${props.verdict}-${props.service}`}
      >
        {label}
      </Button>
    );
  const mark = async () => {
    const reply = await props.client.invoke('deploy:mark', {
      service: props.service,
      version: props.version,
      verdict: props.verdict,
      reason,
    });
    if (!reply.ok) return setMessage(reply.error.message);
    setIsOpen(false);
    setMessage(`v${reply.value.version} of ${reply.value.service} is marked ${reply.value.verdict}.`);
    props.onMarked?.();
  };
  return (
    <Group gap="xs" align="end">
      <TextInput
        size="xs"
        label={`${label} — reason (recorded)`}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        w={300}
        data-testid="mark-reason"
      />
      <Button
        size="xs"
        color={props.verdict === 'bad' ? 'red' : 'teal'}
        disabled={!reason.trim()}
        onClick={() => void mark()}
      >
        {props.verdict === 'bad' ? 'Mark bad' : 'Mark good'}
      </Button>
      <Button size="xs" variant="default" onClick={() => setIsOpen(false)}>
        Cancel
      </Button>
      {message && (
        <Text size="xs" c="dimmed" w="100%">
          {message}
        </Text>
      )}
    </Group>
  );
}
