import { MantineProvider } from '@mantine/core';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { connectionStatus, useConnectionStore } from '../../src/renderer/src/stores/connection-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildCockpit, buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

function renderShell() {
  const { cockpit } = buildCockpit({ version: '4.5.6' });
  const client = createClient(memoryBridge(cockpit));
  render(
    <MantineProvider>
      <App client={client} />
    </MantineProvider>,
  );
  return { cockpit };
}

beforeEach(() => {
  useViewStore.setState({ activeView: 'matrix' });
  useConnectionStore.setState({
    appInfo: undefined,
    infoError: undefined,
    lastHeartbeatAt: undefined,
    heartbeatCount: 0,
  });
});

describe('the app shell', () => {
  it('shows the core’s name and version in the status bar once connected', async () => {
    renderShell();
    await waitFor(() => expect(screen.getByTestId('app-version').textContent).toContain('Release Cockpit 4.5.6'));
    expect(screen.getByTestId('connection-status').textContent).toContain('Core connected');
  });

  it('counts heartbeats from the core', async () => {
    const { cockpit } = renderShell();
    await waitFor(() => expect(screen.getByTestId('app-version').textContent).toContain('4.5.6'));
    act(() => {
      cockpit.events.emit('app:heartbeat', { sequence: 0, sentAt: new Date().toISOString() });
      cockpit.events.emit('app:heartbeat', { sequence: 1, sentAt: new Date().toISOString() });
    });
    expect(screen.getByTestId('connection-status').getAttribute('data-heartbeats')).toBe('2');
    expect(document.body.textContent).not.toContain('Heartbeat');
  });

  it('says so when there is no core to talk to', async () => {
    render(
      <MantineProvider>
        <App client={createClient(undefined)} />
      </MantineProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('connection-status').textContent).toContain('Core unreachable'));
  });

  it('lists the seven views and opens one on click (loaded when first opened)', async () => {
    renderShell();
    const navigation = screen.getByRole('navigation', { name: 'Views' });
    const labels = [...navigation.querySelectorAll('a')].map((link) => link.textContent);
    expect(labels.map((label) => label?.replace(/Ctrl\+\d/, ''))).toEqual([
      'Matrix',
      'Releases',
      'Deploy',
      'Rollback',
      'Ledger',
      'Metrics',
      'Settings',
    ]);
    const deployLink = [...navigation.querySelectorAll('a')].find((link) => link.textContent?.startsWith('Deploy'))!;
    fireEvent.click(deployLink);
    expect(await screen.findByTestId('view-deploy')).toBeTruthy();
    expect(deployLink.getAttribute('aria-current')).toBe('page');
  });

  it('switches views with Ctrl+digit', async () => {
    renderShell();
    fireEvent.keyDown(document.documentElement, { key: '5', code: 'Digit5', ctrlKey: true });
    expect(await screen.findByTestId('view-ledger')).toBeTruthy();
    fireEvent.keyDown(document.documentElement, { key: '6', code: 'Digit6', ctrlKey: true });
    expect(await screen.findByTestId('view-metrics')).toBeTruthy();
    fireEvent.keyDown(document.documentElement, { key: '7', code: 'Digit7', ctrlKey: true });
    expect(await screen.findByTestId('view-settings')).toBeTruthy();
  });

  it('moves focus through the navigation with the arrow keys, wrapping around', () => {
    renderShell();
    const links = [...screen.getByRole('navigation', { name: 'Views' }).querySelectorAll('a')];
    links[0]!.focus();
    fireEvent.keyDown(links[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(links[1]);
    fireEvent.keyDown(links[1]!, { key: 'End' });
    expect(document.activeElement).toBe(links[6]);
    fireEvent.keyDown(links[6]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(links[0]);
    fireEvent.keyDown(links[0]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(links[6]);
  });
});

describe('the connection status', () => {
  const info = { name: 'n', version: 'v', platform: 'p', arch: 'a', runtime: 'test' as const, dataDir: '/d' };
  it.each([
    [{}, 'connecting'],
    [{ infoError: 'down' }, 'disconnected'],
    [{ appInfo: info }, 'connected'],
    [{ appInfo: info, lastHeartbeatAt: 90_000 }, 'connected'],
    [{ appInfo: info, lastHeartbeatAt: 80_000 }, 'unresponsive'],
  ])('%o at t=100s is %s', (state, expected) => {
    expect(connectionStatus(state, 100_000)).toBe(expected);
  });
});

describe('the team in the matrix', () => {
  it('shows who of the team deploys an environment now, from the last sync', async () => {
    const { cockpit } = await buildStartedCockpit();
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('view-matrix').querySelector('table')).not.toBeNull());
    expect(screen.queryByTestId('environment-deploying')).toBeNull();
    act(() => {
      cockpit.events.emit('team:sync-changed', {
        isConfigured: true,
        lastSyncedAt: new Date().toISOString(),
        toShare: 0,
        deployLocks: [
          {
            environment: 'production',
            holder: { name: 'Dana DevOps', email: 'dana@penpal-ai.example' },
            runId: 'run-7',
            since: new Date().toISOString(),
            leaseUntil: new Date(Date.now() + 120_000).toISOString(),
          },
        ],
      });
    });
    await waitFor(() => expect(screen.getByTestId('environment-deploying').textContent).toBe('Dana DevOps deploying'));
    expect(screen.getByTestId('environment-deploying').closest('th')?.textContent).toContain('Production');
    cockpit.stop();
  });
});

describe('the status bar', () => {
  it('opens Settings from the keychain item and the platform chooser from the platform item', async () => {
    renderShell();
    fireEvent.click(screen.getByTestId('keychain-status'));
    expect(await screen.findByTestId('view-settings')).toBeTruthy();
    expect(useViewStore.getState().activeView).toBe('settings');
    fireEvent.click(screen.getByTestId('platform-status'));
    expect(await screen.findByTestId('platform-chooser')).toBeTruthy();
  });
});

describe('the address', () => {
  it('opens the view it names, and follows the view and the selected service', async () => {
    window.history.replaceState(null, '', '/?token=abc#/ledger');
    renderShell();
    expect(await screen.findByTestId('view-ledger')).toBeTruthy();
    fireEvent.keyDown(document.documentElement, { key: '3', code: 'Digit3', ctrlKey: true });
    expect(await screen.findByTestId('view-deploy')).toBeTruthy();
    expect(window.location.hash).toBe('#/deploy');
    // The token in the query is kept as it was.
    expect(window.location.search).toBe('?token=abc');
  });
});
