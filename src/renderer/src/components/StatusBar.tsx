import { Group, Text, UnstyledButton } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { connectionStatus, useConnectionStore, type ConnectionStatus } from '../stores/connection-store';
import { useCredentialsStore } from '../stores/credentials-store';
import { useMatrixStore } from '../stores/matrix-store';
import { outboxCounts, useOutboxStore } from '../stores/outbox-store';
import { useRotationStore } from '../stores/rotation-store';
import { usePlatformStore } from '../stores/platform-store';
import { teamSyncText, useTeamStore } from '../stores/team-store';
import { useViewStore } from '../stores/view-store';

const statusText: Record<ConnectionStatus, { label: string; color: string }> = {
  connecting: { label: 'Connecting to the core…', color: 'yellow' },
  connected: { label: 'Core connected', color: 'teal' },
  unresponsive: { label: 'Core not responding', color: 'orange' },
  disconnected: { label: 'Core unreachable', color: 'red' },
};

/** The bottom bar: link to the core, keychain, version. Text and colour, never colour alone. */
export function StatusBar({ transport, onChoosePlatform }: { transport: string; onChoosePlatform?: () => void }) {
  const openView = useViewStore((state) => state.openView);
  const appInfo = useConnectionStore((state) => state.appInfo);
  const infoError = useConnectionStore((state) => state.infoError);
  const lastHeartbeatAt = useConnectionStore((state) => state.lastHeartbeatAt);
  const linkLostAt = useConnectionStore((state) => state.linkLostAt);
  const heartbeatCount = useConnectionStore((state) => state.heartbeatCount);
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 1_000, { autoInvoke: true });
  const status = statusText[connectionStatus({ appInfo, infoError, lastHeartbeatAt, linkLostAt }, now)];
  const vaultStatus = useCredentialsStore((state) => state.list?.status);
  const platformName = usePlatformStore((state) => state.current?.platform?.name);
  const connectivity = useMatrixStore((state) => state.snapshot?.connectivity);
  const outbox = outboxCounts(useOutboxStore((state) => state.messages));
  const secrets = useRotationStore((state) => state.secrets);
  const rotation = (['overdue', 'never-rotated', 'due-soon'] as const).map((status) => ({
    status,
    count: secrets.filter((secret) => secret.status === status).length,
  }));
  const team = teamSyncText(
    useTeamStore((state) => state.sync),
    now,
  );
  const keychain = !vaultStatus
    ? { label: 'Keychain: no platform', color: 'dimmed' }
    : vaultStatus.isPersistent
      ? { label: 'Keychain: OS keychain', color: 'dimmed' }
      : { label: 'Keychain: session only — no OS keychain (see Settings)', color: 'yellow' };

  return (
    <Group component="footer" justify="space-between" px="sm" h="100%" gap="lg" role="contentinfo">
      <Group gap="lg">
        <Text
          size="xs"
          c={status.color}
          data-testid="connection-status"
          data-heartbeats={heartbeatCount}
          title={infoError ?? `The core has answered ${heartbeatCount} heartbeats since this window opened.`}
        >
          ● {status.label}
        </Text>
        <UnstyledButton onClick={() => openView('settings')} title={vaultStatus?.fix ?? 'Open Settings'}>
          <Text size="xs" c={keychain.color} data-testid="keychain-status">
            {keychain.label}
          </Text>
        </UnstyledButton>
        <UnstyledButton onClick={onChoosePlatform} title="Open another platform (Ctrl+O)">
          <Text size="xs" c="dimmed" data-testid="platform-status">
            {platformName ? `Platform: ${platformName}` : 'No platform'}
          </Text>
        </UnstyledButton>
        {team && (
          <Text size="xs" c={team.color} data-testid="team-status">
            {team.label}
          </Text>
        )}
        {connectivity && connectivity.length > 0 && (
          <Text
            size="xs"
            c={connectivity.every((host) => host.reachable === host.total) ? 'dimmed' : 'orange'}
            data-testid="connectivity"
            title={connectivity
              .map((host) => `${host.host}: ${host.reachable}/${host.total} endpoints answer`)
              .join('\n')}
          >
            Reachable: {connectivity.map((host) => `${host.host} ${host.reachable}/${host.total}`).join(', ')}
          </Text>
        )}
        {rotation.some((entry) => entry.count > 0) && (
          <Text size="xs" c={rotation[0]!.count > 0 ? 'red' : 'yellow'} data-testid="rotation-status-bar">
            Secrets:{' '}
            {rotation
              .filter((entry) => entry.count > 0)
              .map((entry) => `${entry.count} ${entry.status.replace('-', ' ')}`)
              .join(', ')}{' '}
            (Settings)
          </Text>
        )}
        {outbox.waiting + outbox.needsAttention > 0 && (
          <Text size="xs" c={outbox.needsAttention > 0 ? 'orange' : 'dimmed'} data-testid="outbox-status">
            Outbox: {outbox.waiting} waiting
            {outbox.needsAttention > 0 ? `, ${outbox.needsAttention} to look at (Settings)` : ''}
          </Text>
        )}
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
