import { Stack, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CommandOutput } from '../../../../shared/contract';
import { NoticeEditor } from '../../components/NoticeEditor';
import type { CockpitClient } from '../../ipc/client';
import { usePlatformStore } from '../../stores/platform-store';

/** After a deploy: its started and finished notices and, for production, the release announcement. */
export function DeployNotices({ client, runId }: { client: CockpitClient; runId: string }) {
  const slackChannels = usePlatformStore((state) => state.current?.platform?.slackChannels ?? []);
  const [notices, setNotices] = useState<CommandOutput<'comms:deploy-notices'>>();
  useEffect(() => {
    let isCurrent = true;
    void client.invoke('comms:deploy-notices', { runId }).then((reply) => {
      if (isCurrent && reply.ok) setNotices(reply.value);
    });
    return () => {
      isCurrent = false;
    };
  }, [client, runId]);
  if (!notices) return null;
  const shared = { client, correlationId: runId, slackChannels, prefers: /release|deploy/i };
  return (
    <Stack gap="xs" data-testid="deploy-notices">
      <Title order={4} size="h5">
        Notices
      </Title>
      {notices.announcement && (
        <NoticeEditor
          {...shared}
          kind="release-announcement"
          label="Release announcement"
          text={notices.announcement}
        />
      )}
      {notices.finished && (
        <NoticeEditor {...shared} kind="deploy-notice" label="Deploy finished" text={notices.finished} />
      )}
      <NoticeEditor {...shared} kind="deploy-notice" label="Deploy started" text={notices.started} />
    </Stack>
  );
}
