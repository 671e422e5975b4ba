import { AppShell, Group, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect } from 'react';
import { NavigationBar } from './components/NavigationBar';
import { StatusBar } from './components/StatusBar';
import type { CockpitClient } from './ipc/client';
import { startSubscriptions } from './ipc/subscriptions';
import { useViewStore } from './stores/view-store';
import { PlaceholderView } from './views/PlaceholderView';
import { RollbackView } from './views/rollback/RollbackView';
import { WatchBanner } from './components/WatchBanner';
import { MetricsView } from './views/metrics/MetricsView';
import { DeployView } from './views/deploy/DeployView';
import { LedgerView } from './views/ledger/LedgerView';
import { MatrixView } from './views/matrix/MatrixView';
import { ReleasesView } from './views/releases/ReleasesView';
import { SettingsView } from './views/settings/SettingsView';
import { views } from './views/view-catalog';

/** The app frame: navigation, the open view, the status bar. */
export function App({ client }: { client: CockpitClient }) {
  const activeView = useViewStore((state) => state.activeView);
  const openView = useViewStore((state) => state.openView);
  useEffect(() => startSubscriptions(client), [client]);
  // View shortcuts work from inside text fields too (Ctrl+digit types nothing there).
  useHotkeys(
    views.map((view) => [`mod+${view.shortcutDigit}`, () => openView(view.id)]),
    [],
  );
  const view = views.find((candidate) => candidate.id === activeView) ?? views[0]!;

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: 200, breakpoint: 0 }} footer={{ height: 28 }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md">
          <Title order={1} size="h4">
            Release Cockpit
          </Title>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavigationBar />
      </AppShell.Navbar>
      <AppShell.Main>
        <WatchBanner />
        {view.id === 'settings' ? (
          <SettingsView client={client} />
        ) : view.id === 'ledger' ? (
          <LedgerView client={client} />
        ) : view.id === 'matrix' ? (
          <MatrixView client={client} />
        ) : view.id === 'releases' ? (
          <ReleasesView client={client} />
        ) : view.id === 'deploy' ? (
          <DeployView client={client} />
        ) : view.id === 'rollback' ? (
          <RollbackView client={client} />
        ) : view.id === 'metrics' ? (
          <MetricsView client={client} />
        ) : (
          <PlaceholderView view={view} />
        )}
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar transport={client.transport} />
      </AppShell.Footer>
    </AppShell>
  );
}
