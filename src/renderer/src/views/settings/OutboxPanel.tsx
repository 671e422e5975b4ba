import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { OutboxMessage } from '../../../../shared/contract';
import type { CockpitClient } from '../../ipc/client';
import { useMoment } from '../../hooks/use-moment';
import { useOutboxStore } from '../../stores/outbox-store';
import { usePlatformStore } from '../../stores/platform-store';

const stateColor: Record<OutboxMessage['state'], string> = {
  queued: 'blue',
  sending: 'blue',
  retrying: 'yellow',
  sent: 'teal',
  rejected: 'red',
  cancelled: 'gray',
  uncertain: 'orange',
};

/** The outbox: what waits to be sent to Slack and why, what was sent, and what needs a person. */
export function OutboxPanel({ client }: { client: CockpitClient }) {
  const messages = useOutboxStore((state) => state.messages);
  const setMessages = useOutboxStore((state) => state.setMessages);
  const [error, setError] = useState<string>();
  const [tested, setTested] = useState<{ isSent: boolean; detail: string }>();
  const channels = usePlatformStore((state) => state.current?.platform?.slackChannels);
  const sendTest = async (channel: string) => {
    const reply = await client.invoke('comms:test-channel', { channel });
    setTested(reply.ok ? reply.value : { isSent: false, detail: reply.error.message });
  };
  const moment = useMoment();

  const act = async (message: OutboxMessage, action: 'cancel' | 'resend' | 'mark-sent') => {
    const reply =
      action === 'cancel'
        ? await client.invoke('comms:cancel', { messageId: message.id })
        : await client.invoke('comms:resolve', { messageId: message.id, resolution: action });
    setError(reply.ok ? undefined : reply.error.message);
    if (reply.ok) setMessages(reply.value.messages);
  };

  return (
    <Stack gap="xs" data-testid="outbox">
      <Title order={3} size="h4">
        Outbox
      </Title>
      <Text size="sm" c="dimmed">
        Messages for Slack wait here while the network or Slack is unavailable, and are sent once, when they can be.
      </Text>
      {channels && channels.length > 0 && (
        <Group gap="xs" data-testid="slack-test">
          {channels.map((channel) => (
            <Button
              key={channel.id}
              size="compact-xs"
              variant="default"
              onClick={() => void sendTest(channel.id)}
              data-testid={`slack-test-${channel.id}`}
            >
              Send test to #{channel.id}
            </Button>
          ))}
        </Group>
      )}
      {tested && (
        <Alert
          color={tested.isSent ? 'teal' : 'orange'}
          withCloseButton
          onClose={() => setTested(undefined)}
          data-testid="slack-test-result"
        >
          {tested.detail}
        </Alert>
      )}
      {messages.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing has been queued.
        </Text>
      ) : (
        <Table withTableBorder>
          <Table.Tbody>
            {[...messages].reverse().map((message) => (
              <Table.Tr key={message.id} data-testid={`outbox-${message.id}`}>
                <Table.Td w={110}>
                  <Badge color={stateColor[message.state]} variant="light" data-testid="outbox-state">
                    {message.state}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    #{message.channel} · {message.kind} · queued {moment(message.queuedAt)}
                    {message.attempts > 0 ? ` · ${message.attempts} attempt${message.attempts === 1 ? '' : 's'}` : ''}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {message.text}
                  </Text>
                  {message.lastError && (
                    <Text size="xs" c={message.state === 'sent' ? 'dimmed' : 'orange'}>
                      {message.lastError}
                      {message.nextAttemptAt ? ` Next try ${moment(message.nextAttemptAt)}.` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {message.state === 'uncertain' && (
                      <>
                        <Button size="compact-xs" onClick={() => void act(message, 'resend')}>
                          Not received: resend
                        </Button>
                        <Button size="compact-xs" variant="default" onClick={() => void act(message, 'mark-sent')}>
                          It arrived
                        </Button>
                      </>
                    )}
                    {message.state === 'rejected' && (
                      <>
                        <Button
                          size="compact-xs"
                          onClick={() => void act(message, 'resend')}
                          data-testid="outbox-retry"
                        >
                          Retry
                        </Button>
                      </>
                    )}
                    {['queued', 'retrying', 'uncertain', 'rejected'].includes(message.state) && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => void act(message, 'cancel')}
                        data-testid={message.state === 'rejected' ? 'outbox-discard' : 'outbox-cancel'}
                      >
                        {message.state === 'rejected' ? 'Discard' : 'Cancel'}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {error && (
        <Alert color="red" withCloseButton onClose={() => setError(undefined)}>
          {error}
        </Alert>
      )}
    </Stack>
  );
}
