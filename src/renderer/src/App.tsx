import { AppShell, Button, Group, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { NavigationBar } from './components/NavigationBar';
import { StatusBar } from './components/StatusBar';
import type { CockpitClient } from './ipc/client';
import { startSubscriptions } from './ipc/subscriptions';
import { syncLocation } from './ipc/location-sync';
import { useViewStore } from './stores/view-store';
import { PlaceholderView } from './views/PlaceholderView';
import { WatchBanner } from './components/WatchBanner';
import { PlatformChooserDialog } from './components/PlatformChooser';
import { PlatformProblems } from './components/PlatformProblems';
import { ConnectionBanner } from './components/ConnectionBanner';
import { selectIsRunning, useDeployStore } from './stores/deploy-store';
import { usePlatformStore } from './stores/platform-store';
import { MatrixView } from './views/matrix/MatrixView';

import { isLazyView, LazyView, prefetchViews } from './views/lazy-views';
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
  useEffect(() => syncLocation(), []);
  // The other views are fetched once the first paint is done (they still work if the core goes away).
  useEffect(() => {
    const timer = setTimeout(prefetchViews, 1_500);
    return () => clearTimeout(timer);
  }, []);
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
        <ConnectionBanner />
        <PlatformProblems client={client} />
        <WatchBanner />
        <PlatformChooserDialog client={client} opened={isChoosing} onClose={() => setIsChoosing(false)} />
        {view.id === 'matrix' ? (
          <MatrixView client={client} />
        ) : isLazyView(view.id) ? (
          <LazyView key={view.id} id={view.id} client={client} />
        ) : (
          <PlaceholderView view={view} />
        )}
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar transport={client.transport} onChoosePlatform={() => setIsChoosing(true)} />
      </AppShell.Footer>
    </AppShell>
  );
}
