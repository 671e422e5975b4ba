import { Alert, Button, Group, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { CockpitClient } from '../../ipc/client';

interface RollbackNoticesProps {
  client: CockpitClient;
  rollbackId: string;
  notices: { internal: string; maintenance?: string };
  slackChannels: { id: string; purpose?: string }[];
}

type NoticeKind = 'rollback-notice' | 'maintenance-notice';

/** The notices filled from live data: editable, then copied or queued for a Slack channel. */
export function RollbackNotices({ client, rollbackId, notices, slackChannels }: RollbackNoticesProps) {
  return (
    <Stack gap="xs" data-testid="rollback-notices">
      <Title order={4} size="h5">
        Notices
      </Title>
      <NoticeEditor
        kind="rollback-notice"
        label="Internal rollback notice"
        text={notices.internal}
        {...{ client, rollbackId, slackChannels }}
      />
      {notices.maintenance && (
        <NoticeEditor
          kind="maintenance-notice"
          label="User maintenance notice (users are affected for more than 5 minutes)"
          text={notices.maintenance}
          {...{ client, rollbackId, slackChannels }}
        />
      )}
    </Stack>
  );
}

function NoticeEditor({
  client,
  rollbackId,
  slackChannels,
  kind,
  label,
  text,
}: Omit<RollbackNoticesProps, 'notices'> & { kind: NoticeKind; label: string; text: string }) {
  // Filled from live data until the person edits it; their words are then kept.
  const [edited, setEdited] = useState<string>();
  const [channel, setChannel] = useState<string | null>(incidentChannel(slackChannels));
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
    const reply = await client.invoke('comms:queue', { channel, kind, text: value, correlationId: rollbackId });
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

/** The channel meant for incidents when the platform names one, else the first. */
function incidentChannel(channels: { id: string; purpose?: string }[]): string | null {
  const isForIncidents = (candidate: { id: string; purpose?: string }) =>
    /incident|rollback|alert/i.test(`${candidate.id} ${candidate.purpose ?? ''}`);
  return (channels.find(isForIncidents) ?? channels[0])?.id ?? null;
}
