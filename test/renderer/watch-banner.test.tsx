import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen } from '@testing-library/react';
import { act } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { useRollbackStore } from '../../src/renderer/src/stores/rollback-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { useWatchStore } from '../../src/renderer/src/stores/watch-store';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

beforeEach(() => {
  useViewStore.setState({ activeView: 'matrix' });
  useWatchStore.setState({ watches: [], alerts: [] });
});

describe('the post-deploy alert', () => {
  it('shows what got worse on every view and opens the rollback wizard on the service', async () => {
    const { cockpit } = await buildStartedCockpit();
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    act(() =>
      cockpit.events.emit('watch:alerted', {
        runId: 'deploy-9',
        environment: 'production',
        alerts: [
          {
            service: 'auth-service',
            metric: 'latency',
            baseline: 0.1,
            current: 0.9,
            factor: 9,
            message: 'auth-service: latency p95 900 ms, 9× the 100 ms before the deploy (alert above 2×)',
          },
        ],
      }),
    );
    const banner = await screen.findByTestId('watch-banner');
    expect(banner.textContent).toContain('production is worse since the deploy');
    expect(banner.textContent).toContain('auth-service: latency p95 900 ms');
    fireEvent.click(screen.getByTestId('watch-open-rollback'));
    expect(useViewStore.getState().activeView).toBe('rollback');
    expect(useRollbackStore.getState().suggestion).toEqual({ service: 'auth-service', environment: 'production' });
    // The Rollback view loads when it is first opened.
    expect(((await screen.findByTestId('rollback-service')) as HTMLInputElement).value).toBe('Auth Service');
  });
});
