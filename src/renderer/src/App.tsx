import { AppShell, Button, Group, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { NavigationBar } from './components/NavigationBar';
import { StatusBar } from './components/StatusBar';
import type { CockpitClient } from './ipc/client';
import { startSubscriptions } from './ipc/subscriptions';
import { useViewStore } from './stores/view-store';
import { PlaceholderView } from './views/PlaceholderView';
import { WatchBanner } from './components/WatchBanner';
import { PlatformChooserDialog } from './components/PlatformChooser';
import { PlatformProblems } from './components/PlatformProblems';
import { selectIsRunning, useDeployStore } from './stores/deploy-store';
import { usePlatformStore } from './stores/platform-store';
import { MatrixView } from './views/matrix/MatrixView';

// The first paint loads the shell and the Matrix; every other view loads when it is opened.
const lazyView = <Name extends string>(
  load: () => Promise<Record<Name, ComponentType<{ client: CockpitClient }>>>,
  name: Name,
) => lazy(async () => ({ default: (await load())[name] }));
const ReleasesView = lazyView(() => import('./views/releases/ReleasesView'), 'ReleasesView');
const DeployView = lazyView(() => import('./views/deploy/DeployView'), 'DeployView');
const RollbackView = lazyView(() => import('./views/rollback/RollbackView'), 'RollbackView');
const LedgerView = lazyView(() => import('./views/ledger/LedgerView'), 'LedgerView');
const MetricsView = lazyView(() => import('./views/metrics/MetricsView'), 'MetricsView');
const SettingsView = lazyView(() => import('./views/settings/SettingsView'), 'SettingsView');
import { views } from './views/view-catalog';

/** The window's title names the platform, and the environment while a deploy runs there. */
function useWindowTitle() {
  const name = usePlatformStore((state) => state.current?.platform?.name);
  const environments = usePlatformStore((state) => state.current?.platform?.environments);
  const deploying = useDeployStore((state) => (selectIsRunning(state) ? state.runEnvironment : undefined));
  useEffect(() => {
    const environment = environments?.find((candidate) => candidate.id === deploying)?.name ?? deploying;
    document.title = ['Release Cockpit', name, environment ? `deploying ${environment}` : undefined]
      .filter(Boolean)
      .join(' — ');
  }, [name, environments, deploying]);
}

/** The app frame: navigation, the open view, the status bar. */
export function App({ client }: { client: CockpitClient }) {
  const activeView = useViewStore((state) => state.activeView);
  const openView = useViewStore((state) => state.openView);
  const current = usePlatformStore((state) => state.current);
  const [isChoosing, setIsChoosing] = useState(false);
  useEffect(() => startSubscriptions(client), [client]);
  useWindowTitle();
  // The desktop app's menu (File › Open platform…, View › each view) speaks through the core's events.
  useEffect(
    () =>
      client.on('app:menu', (command) => {
        if (command.action === 'open-platform') setIsChoosing(true);
        else if (command.view) openView(command.view as Parameters<typeof openView>[0]);
      }),
    [client, openView],
  );
  // View shortcuts work from inside text fields too (Ctrl+digit types nothing there).
  useHotkeys(
    [
      ...views.map((view): [string, () => void] => [`mod+${view.shortcutDigit}`, () => openView(view.id)]),
      ['mod+o', () => setIsChoosing(true)],
    ],
    [],
  );
  const view = views.find((candidate) => candidate.id === activeView) ?? views[0]!;

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: 200, breakpoint: 0 }} footer={{ height: 28 }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            Release Cockpit
          </Title>
          <Button
            size="xs"
            variant="default"
            onClick={() => setIsChoosing(true)}
            title="Open another platform (Ctrl+O)"
            data-testid="platform-switch"
          >
            {current?.platform ? `${current.platform.name} ▾` : 'Open a platform ▾'}
          </Button>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavigationBar />
      </AppShell.Navbar>
      <AppShell.Main>
        <PlatformProblems client={client} />
        <WatchBanner />
        <PlatformChooserDialog client={client} opened={isChoosing} onClose={() => setIsChoosing(false)} />
        <Suspense
          fallback={
            <Text p="md" c="dimmed">
              Opening the view…
            </Text>
          }
        >
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
        </Suspense>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar transport={client.transport} />
      </AppShell.Footer>
    </AppShell>
  );
}
