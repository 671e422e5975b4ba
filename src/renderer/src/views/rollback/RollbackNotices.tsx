import { Stack, Title } from '@mantine/core';
import { NoticeEditor } from '../../components/NoticeEditor';
import type { CockpitClient } from '../../ipc/client';

interface RollbackNoticesProps {
  client: CockpitClient;
  rollbackId: string;
  notices: { internal: string; maintenance?: string };
  slackChannels: { id: string; purpose?: string }[];
}

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
        client={client}
        correlationId={rollbackId}
        slackChannels={slackChannels}
      />
      {notices.maintenance && (
        <NoticeEditor
          kind="maintenance-notice"
          label="User maintenance notice (users are affected for more than 5 minutes)"
          text={notices.maintenance}
          client={client}
          correlationId={rollbackId}
          slackChannels={slackChannels}
        />
      )}
    </Stack>
  );
}
