import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { usePlatformStore } from '../../src/renderer/src/stores/platform-store';
import { useRotationStore } from '../../src/renderer/src/stores/rotation-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

beforeEach(() => {
  useViewStore.setState({ activeView: 'settings' });
  usePlatformStore.setState({ current: undefined });
  useRotationStore.setState({ secrets: [] });
});

describe('secret rotation in Settings', () => {
  it('shows each platform secret’s state and checks the runbook step by step, in the ledger', async () => {
    const { cockpit } = await buildStartedCockpit({ actor: { name: 'Dana DevOps', source: 'git' } });
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    const row = await screen.findByTestId('rotation-jwt-secret-production');
    expect(within(row).getByTestId('rotation-status').textContent).toBe('never rotated');
    expect(screen.getByTestId('rotation-status-bar').textContent).toContain('Secrets: 6 never rotated');
    fireEvent.click(within(row).getByText('Rotate…'));
    const runbook = within(row).getByTestId('rotation-runbook');
    fireEvent.change(within(runbook).getByPlaceholderText('Note for the next step checked (optional)'), {
      target: { value: 'new key in the vault' },
    });
    fireEvent.click(within(runbook).getByLabelText(/^Generate the new value/));
    await waitFor(() => expect(runbook.textContent).toContain('— Dana DevOps'));
    expect(runbook.textContent).toContain('(new key in the vault)');
    const ledger = await cockpit.dispatch('ledger:query', { search: 'rotation of jwt-secret-production' });
    expect(JSON.stringify(ledger)).toContain('Rotation of jwt-secret-production: Generate the new value');
  });
});
