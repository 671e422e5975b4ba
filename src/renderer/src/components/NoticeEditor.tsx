import { Alert, Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { CockpitClient } from '../ipc/client';

export type NoticeKind = CommandInput<'comms:queue'>['kind'];

export interface NoticeEditorProps {
  client: CockpitClient;
  /** What the queued message belongs to (a rollback or deploy run), for the ledger. */
  correlationId: string;
  slackChannels: { id: string; purpose?: string }[];
  kind: NoticeKind;
  label: string;
  text: string;
  /** Which channel to offer first, by its id or purpose (incidents by default). */
  prefers?: RegExp;
}

/** A notice filled from live data: editable, then copied or queued for a Slack channel. */
export function NoticeEditor({ client, correlationId, slackChannels, kind, label, text, prefers }: NoticeEditorProps) {
  // Filled from live data until the person edits it; their words are then kept.
  const [edited, setEdited] = useState<string>();
  const [channel, setChannel] = useState<string | null>(
    preferredChannel(slackChannels, prefers ?? /incident|rollback|alert/i),
  );
  const [status, setStatus] = useState<{ color: string; message: string }>();
  const value = edited ?? text;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus({ color: 'teal', message: 'Copied.' });
    } catch {
      setStatus({ color: 'red', message: 'The clipboard refused the text: select it and copy it by hand.' });
    }
  };
  const queue = async () => {
    if (!channel) return;
    const reply = await client.invoke('comms:queue', { channel, kind, text: value, correlationId });
    setStatus(
      reply.ok
        ? { color: 'teal', message: `Queued for #${channel}; it is sent when Slack can be reached.` }
        : { color: 'red', message: reply.error.message },
    );
  };
  return (
    <Stack gap={4} data-testid={`notice-${kind}`}>
      <Textarea
        label={label}
        value={value}
        onChange={(event) => setEdited(event.currentTarget.value)}
        autosize
        minRows={3}
        maxLength={4_000}
      />
      <Group gap="xs">
        <Button size="compact-sm" variant="default" onClick={() => void copy()}>
          Copy
        </Button>
        {slackChannels.length > 0 ? (
          <>
            <Select
              size="xs"
              aria-label="Slack channel"
              data={slackChannels.map((candidate) => ({
                value: candidate.id,
                label: `#${candidate.id}${candidate.purpose ? ` — ${candidate.purpose}` : ''}`,
              }))}
              value={channel}
              onChange={setChannel}
              allowDeselect={false}
              w={300}
            />
            <Button size="compact-sm" onClick={() => void queue()} data-testid={`queue-${kind}`}>
              Queue for Slack
            </Button>
          </>
        ) : (
          <Text size="xs" c="dimmed">
            The platform declares no Slack channel (comms.slack): copy the notice instead.
          </Text>
        )}
      </Group>
      {status && (
        <Alert color={status.color} p="xs" withCloseButton onClose={() => setStatus(undefined)}>
          {status.message}
        </Alert>
      )}
    </Stack>
  );
}

/** The first channel whose id or purpose matches, else the first. */
function preferredChannel(channels: { id: string; purpose?: string }[], prefers: RegExp): string | null {
  return (
    (channels.find((candidate) => prefers.test(`${candidate.id} ${candidate.purpose ?? ''}`)) ?? channels[0])?.id ??
    null
  );
}
