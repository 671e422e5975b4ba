/**
 * Above every view, the moment the core stops answering: what is shown is as it was, running
 * states are unknown, and the page reconnects on its own.
 */
import { Alert } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { formatRelative } from '../../../shared/time-format';
import { connectionStatus, useConnectionStore } from '../stores/connection-store';

export function ConnectionBanner() {
  const linkLostAt = useConnectionStore((state) => state.linkLostAt);
  const lastHeartbeatAt = useConnectionStore((state) => state.lastHeartbeatAt);
  const appInfo = useConnectionStore((state) => state.appInfo);
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1_000, { autoInvoke: true });
  const status = connectionStatus({ appInfo, lastHeartbeatAt, linkLostAt }, now);
  if (status !== 'disconnected' && status !== 'unresponsive') return null;
  const since = linkLostAt ?? lastHeartbeatAt;
  return (
    <Alert
      color="red"
      m="md"
      mb={0}
      title="The cockpit core is not answering"
      role="alert"
      data-testid="connection-lost"
    >
      {since ? `Since ${formatRelative(new Date(since).toISOString(), now)}. ` : ''}
      What you see is as it was then: running deploys, rollbacks and health are unknown until it answers. This page
      reconnects by itself.
    </Alert>
  );
}
