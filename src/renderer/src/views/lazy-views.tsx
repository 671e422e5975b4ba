/**
 * The views the first paint does not load: each is fetched when first opened — and all of them
 * soon after the first paint, while the core answers, so that switching views still works when
 * the core (the browser mode's file server) is away. A view that cannot be fetched says so, with
 * a way to try again, instead of taking the whole window down.
 */
import { Alert, Button, Text } from '@mantine/core';
import { Component, createElement, lazy, Suspense, useMemo, useState, type ComponentType, type ReactNode } from 'react';
import type { CockpitClient } from '../ipc/client';

type View = ComponentType<{ client: CockpitClient }>;

const loaders = {
  releases: () => import('./releases/ReleasesView').then((module) => module.ReleasesView),
  deploy: () => import('./deploy/DeployView').then((module) => module.DeployView),
  rollback: () => import('./rollback/RollbackView').then((module) => module.RollbackView),
  ledger: () => import('./ledger/LedgerView').then((module) => module.LedgerView),
  metrics: () => import('./metrics/MetricsView').then((module) => module.MetricsView),
  settings: () => import('./settings/SettingsView').then((module) => module.SettingsView),
} satisfies Record<string, () => Promise<View>>;
export type LazyViewId = keyof typeof loaders;

export const isLazyView = (id: string): id is LazyViewId => id in loaders;

/** A lazy component per view and attempt: a failed fetch is tried with a new one (React keeps a failed one failed). */
const components = new Map<string, View>();
function componentOf(id: LazyViewId, attempt: number): View {
  const key = `${id}:${attempt}`;
  let component = components.get(key);
  if (!component) {
    component = lazy(async () => ({ default: await loaders[id]() }));
    components.set(key, component);
  }
  return component;
}

/** Fetches every lazy view in the background (after the first paint). */
export function prefetchViews(): void {
  for (const load of Object.values(loaders)) void load().catch(() => undefined);
}

class ViewBoundary extends Component<{ onRetry: () => void; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert color="red" m="md" title="This view could not be loaded" data-testid="view-load-failed">
        <Text size="sm">
          The cockpit core did not answer while the view was being fetched. It opens once the core answers again.
        </Text>
        <Button
          mt="xs"
          size="xs"
          variant="default"
          onClick={() => {
            this.setState({ error: undefined });
            this.props.onRetry();
          }}
        >
          Try again
        </Button>
      </Alert>
    );
  }
}

export function LazyView({ id, client }: { id: LazyViewId; client: CockpitClient }) {
  const [attempt, setAttempt] = useState(0);
  // The same component for a view across renders (kept in the module's map), made again on retry.
  const view = useMemo(() => createElement(componentOf(id, attempt), { client }), [id, client, attempt]);
  return (
    <ViewBoundary key={`${id}-${attempt}`} onRetry={() => setAttempt((count) => count + 1)}>
      <Suspense
        fallback={
          <Text p="md" c="dimmed">
            Opening the view…
          </Text>
        }
      >
        {view}
      </Suspense>
    </ViewBoundary>
  );
}
