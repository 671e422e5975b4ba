import { Group, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { connectionStatus, useConnectionStore, type ConnectionStatus } from '../stores/connection-store';

const statusText: Record<ConnectionStatus, { label: string; color: string }> = {
  connecting: { label: 'Connecting to the core…', color: 'yellow' },
  connected: { label: 'Core connected', color: 'teal' },
  unresponsive: { label: 'Core not responding', color: 'orange' },
  disconnected: { label: 'Core unreachable', color: 'red' },
};

/** The bottom bar: link to the core, keychain, version. Text and colour, never colour alone. */
export function StatusBar({ transport }: { transport: string }) {
  const appInfo = useConnectionStore((state) => state.appInfo);
  const infoError = useConnectionStore((state) => state.infoError);
  const lastHeartbeatAt = useConnectionStore((state) => state.lastHeartbeatAt);
  const heartbeatCount = useConnectionStore((state) => state.heartbeatCount);
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1_000, { autoInvoke: true });
  const status = statusText[connectionStatus({ appInfo, infoError, lastHeartbeatAt }, now)];

  return (
    <Group component="footer" justify="space-between" px="sm" h="100%" gap="lg" role="contentinfo">
      <Group gap="lg">
        <Text size="xs" c={status.color} data-testid="connection-status" title={infoError}>
          ● {status.label}
        </Text>
        <Text size="xs" c="dimmed" data-testid="heartbeat-count">
          Heartbeats: {heartbeatCount}
        </Text>
        <Text size="xs" c="dimmed" data-testid="keychain-status">
          Keychain: not checked yet
        </Text>
      </Group>
      <Group gap="lg">
        <Text size="xs" c="dimmed">
          via {transport === 'ipc' ? 'Electron IPC' : transport === 'loopback' ? 'loopback bridge' : 'no transport'}
        </Text>
        <Text size="xs" c="dimmed" data-testid="app-version">
          {appInfo ? `${appInfo.name} ${appInfo.version} · ${appInfo.platform}/${appInfo.arch}` : '—'}
        </Text>
      </Group>
    </Group>
  );
}
