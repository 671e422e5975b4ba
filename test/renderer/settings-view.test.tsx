import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { useCredentialsStore } from '../../src/renderer/src/stores/credentials-store';
import { usePlatformStore } from '../../src/renderer/src/stores/platform-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildCockpit, buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';
import { makeKey, writeTeamPlatform } from '../helpers/ssh-identity';

beforeEach(() => {
  useViewStore.setState({ activeView: 'settings' });
  usePlatformStore.setState({ current: undefined });
  useCredentialsStore.setState({ list: undefined, loadError: undefined });
});

async function renderSettings(cockpit: Parameters<typeof memoryBridge>[0]) {
  render(
    <MantineProvider>
      <App client={createClient(memoryBridge(cockpit))} />
    </MantineProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('credentials-table')).toBeTruthy());
}

describe('the Settings view', () => {
  it('lists the platform’s credentials and warns that values are session-only without a keychain', async () => {
    const { cockpit } = await buildStartedCockpit();
    await renderSettings(cockpit);
    expect(screen.getByTestId('platform-name').textContent).toContain('Penpal AI');
    expect(screen.getByTestId('vault-status').textContent).toContain('kept in memory for this session only');
    expect(screen.getByTestId('keychain-status').textContent).toContain('session only');
    expect(within(screen.getByTestId('credential-github-token')).getByTestId('credential-state').textContent).toBe(
      'Not set',
    );
  });

  it('sets a credential through a write-only field and shows it as set, never showing the value', async () => {
    const { cockpit } = await buildStartedCockpit();
    await renderSettings(cockpit);
    const row = screen.getByTestId('credential-github-token');
    fireEvent.click(within(row).getByText('Set'));
    const input = (await screen.findByTestId('credential-value')) as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('');
    fireEvent.change(input, { target: { value: 'ghp_renderer_test_value' } });
    fireEvent.click(screen.getByTestId('credential-save'));
    await waitFor(() =>
      expect(within(screen.getByTestId('credential-github-token')).getByTestId('credential-state').textContent).toBe(
        'Set',
      ),
    );
    expect(document.body.innerHTML).not.toContain('ghp_renderer_test_value');
  });

  it('chooses the SSH signing key: a key the roster lists for the person shows as verified', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-signing-'));
    const key = makeKey(root, 'ana');
    const other = makeKey(root, 'other');
    const platformFile = writeTeamPlatform(path.join(root, 'platform.yaml'), [
      {
        name: 'Ana Release',
        email: 'ana@penpal-ai.example',
        roles: ['release-manager'],
        signingKeys: [key.publicLine],
      },
    ]);
    const { cockpit } = buildCockpit({
      platformFile,
      actor: { name: 'Ana Release', email: 'ana@penpal-ai.example', source: 'git' },
    });
    await cockpit.start();
    await renderSettings(cockpit);
    const panel = await screen.findByTestId('signing-key');
    const choose = async (file: string) => {
      fireEvent.change(within(panel).getByTestId('signing-key-input'), { target: { value: file } });
      fireEvent.click(within(panel).getByTestId('signing-key-save'));
    };
    await choose(other.privateFile);
    await waitFor(() => expect(panel.textContent).toContain(`is not one of Ana Release's signing keys`));
    expect(panel.textContent).toContain('not verified');
    await choose(key.privateFile);
    await waitFor(() => expect(panel.textContent).toContain(key.fingerprint));
    expect(within(panel).getByText('verified')).toBeTruthy();
    await choose(path.join(root, 'missing'));
    await waitFor(() => expect(within(panel).getByRole('alert').textContent).toContain('does not exist'));
  });

  it('explains why no platform is loaded, with the file’s problems', async () => {
    const { cockpit } = buildCockpit({ platformFile: '/nonexistent/platform.yaml' });
    await cockpit.start();
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    await waitFor(() =>
      expect(screen.getByTestId('platform-problems').textContent).toContain(
        '/nonexistent/platform.yaml:1:1: file not found: check the path',
      ),
    );
  });
});
