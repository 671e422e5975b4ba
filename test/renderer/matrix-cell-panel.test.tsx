/**
 * A Matrix cell opens its panel: the service and environment by name, what runs there, and the
 * actions that open the right view with that service and environment chosen. Esc closes it; the
 * address names the cell.
 */
import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { useLedgerStore } from '../../src/renderer/src/stores/ledger-store';
import { useMatrixStore } from '../../src/renderer/src/stores/matrix-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

let stop: (() => void) | undefined;

beforeEach(async () => {
  useViewStore.setState({ activeView: 'matrix', intent: undefined });
  useMatrixStore.setState({ selectedService: undefined, selectedEnvironment: undefined });
  const { cockpit } = await buildStartedCockpit();
  stop = () => cockpit.stop();
  render(
    <MantineProvider>
      <App client={createClient(memoryBridge(cockpit))} />
    </MantineProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('cell-payment-service-production')).toBeTruthy());
});

afterEach(() => stop?.());

async function openCell(service: string, environment: string) {
  if (useViewStore.getState().activeView !== 'matrix')
    fireEvent.keyDown(document.documentElement, { key: '1', code: 'Digit1', ctrlKey: true });
  fireEvent.click(await screen.findByTestId(`cell-${service}-${environment}`));
  return screen.findByTestId('cell-details');
}

describe('a Matrix cell’s panel', () => {
  it('shows the cell by name, what runs there, and who deployed it; Esc closes it', async () => {
    const panel = await openCell('payment-service', 'production');
    expect(within(panel).getByRole('heading').textContent).toBe('Payment Service in Production');
    expect(within(panel).getByTestId('cell-details-status').textContent).toMatch(
      /up|down|degraded|unreachable|unknown/,
    );
    expect(within(panel).getByTestId('cell-details-deployed').textContent).toMatch(
      /no deploy from the cockpit in the ledger|reading the ledger/,
    );
    expect(within(panel).getByText('Health URL')).toBeTruthy();
    expect(window.location.hash).toBe('#/matrix/payment-service/production');
    fireEvent.keyDown(screen.getByTestId('cell-payment-service-production'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('cell-details')).toBeNull());
    expect(window.location.hash).toBe('#/matrix');
  });

  it('opens the Deploy view with the cell’s environment and service chosen', async () => {
    const panel = await openCell('payment-service', 'production');
    fireEvent.click(within(panel).getByTestId('cell-action-deploy'));
    const view = await screen.findByTestId('view-deploy');
    expect(within(view).getByDisplayValue('Production (protected)')).toBeTruthy();
    expect(within(screen.getByTestId('deploy-chooser')).getByText('Payment Service')).toBeTruthy();
  });

  it('opens the guided rollback on the cell’s service and environment', async () => {
    const panel = await openCell('auth-service', 'staging');
    fireEvent.click(within(panel).getByTestId('cell-action-rollback'));
    await screen.findByTestId('view-rollback');
    expect((screen.getByTestId('rollback-service') as HTMLInputElement).value).toBe('Auth Service');
    expect((screen.getByTestId('rollback-environment') as HTMLInputElement).value).toBe('Staging');
  });

  it('opens the Releases view on the service, and the ledger filtered to the cell', async () => {
    let panel = await openCell('notify-service', 'production');
    fireEvent.click(within(panel).getByTestId('cell-action-release'));
    await screen.findByTestId('view-releases');
    expect((screen.getByTestId('release-service') as HTMLInputElement).value).toBe('Notify Service');
    panel = await openCell('notify-service', 'production');
    fireEvent.click(within(panel).getByTestId('cell-action-history'));
    await screen.findByTestId('view-ledger');
    expect(useLedgerStore.getState().filter).toMatchObject({ service: 'notify-service', environment: 'production' });
    expect((screen.getByTestId('ledger-service') as HTMLInputElement).value).toBe('Notify Service');
  });
});
