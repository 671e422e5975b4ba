import { MantineProvider } from '@mantine/core';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { useLedgerStore } from '../../src/renderer/src/stores/ledger-store';
import { usePlatformStore } from '../../src/renderer/src/stores/platform-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

beforeEach(() => {
  useViewStore.setState({ activeView: 'ledger' });
  usePlatformStore.setState({ current: undefined });
  useLedgerStore.setState({
    filter: { search: '' },
    page: undefined,
    verification: undefined,
    revision: 0,
    loadError: undefined,
  });
});

async function renderLedger() {
  const { cockpit } = await buildStartedCockpit({ actor: { name: 'Ana Release', source: 'git' } });
  const dataDir = ((await cockpit.dispatch('app:info', {})) as { value: { dataDir: string } }).value.dataDir;
  render(
    <MantineProvider>
      <App client={createClient(memoryBridge(cockpit))} />
    </MantineProvider>,
  );
  await waitFor(() => expect(screen.getByTestId('ledger-count').textContent).toContain('0 of 0 records'));
  return { cockpit, dataDir };
}

describe('the Ledger view', () => {
  it('shows new records as they are appended, newest first, with their details on demand', async () => {
    const { cockpit } = await renderLedger();
    await act(async () => {
      await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'ghp_view_test_value' });
    });
    await waitFor(() => expect(screen.getAllByTestId('ledger-record')).toHaveLength(2));
    const [newest, oldest] = screen.getAllByTestId('ledger-record');
    expect(newest!.textContent).toContain('#2');
    expect(newest!.textContent).toContain('succeeded');
    expect(oldest!.textContent).toContain('started');
    fireEvent.click(newest!.querySelector('button')!);
    expect(screen.getByTestId('ledger-record-details').textContent).toContain('"correlationId"');
    expect(document.body.textContent).not.toContain('ghp_view_test_value');
  });

  it('filters by search text', async () => {
    const { cockpit } = await renderLedger();
    await act(async () => {
      await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'value-one-1' });
      await cockpit.dispatch('credentials:set', { id: 'coolify-api-token', value: 'value-two-2' });
    });
    await waitFor(() => expect(screen.getAllByTestId('ledger-record')).toHaveLength(4));
    fireEvent.change(screen.getByTestId('ledger-search'), { target: { value: 'coolify' } });
    await waitFor(() => expect(screen.getAllByTestId('ledger-record')).toHaveLength(2));
    expect(screen.getByTestId('ledger-count').textContent).toContain('2 of 4 records');
  });

  it('groups the records of one action by its correlation id, with a way to show only that one', async () => {
    const { cockpit } = await renderLedger();
    await act(async () => {
      await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'value-one-1' });
      await cockpit.dispatch('credentials:set', { id: 'coolify-api-token', value: 'value-two-2' });
    });
    await waitFor(() => expect(screen.getAllByTestId('ledger-record')).toHaveLength(4));
    const groups = screen.getAllByTestId('ledger-group');
    expect(groups).toHaveLength(2);
    expect(groups[0]!.textContent).toContain('2 records here');
    fireEvent.click(screen.getAllByTestId('ledger-group-only')[0]!);
    await waitFor(() => expect(screen.getAllByTestId('ledger-record')).toHaveLength(2));
    expect(screen.getByTestId('ledger-count').textContent).toContain('2 of 4 records');
  });

  it('keeps to a date range, counted in the reader’s days, and offers no mirror sync without a mirror', async () => {
    const { cockpit } = await renderLedger();
    await act(async () => {
      await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'value-one-1' });
    });
    await waitFor(() => expect(screen.getAllByTestId('ledger-record')).toHaveLength(2));
    const day = (offset: number) => {
      const date = new Date();
      date.setDate(date.getDate() + offset);
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    };
    fireEvent.change(screen.getByTestId('ledger-from'), { target: { value: day(1) } });
    await waitFor(() => expect(screen.getByTestId('ledger-count').textContent).toContain('0 of 2 records'));
    fireEvent.change(screen.getByTestId('ledger-from'), { target: { value: day(0) } });
    fireEvent.change(screen.getByTestId('ledger-to'), { target: { value: day(0) } });
    await waitFor(() => expect(screen.getByTestId('ledger-count').textContent).toContain('2 of 2 records'));
    fireEvent.change(screen.getByTestId('ledger-to'), { target: { value: day(-1) } });
    await waitFor(() => expect(screen.getByTestId('ledger-count').textContent).toContain('0 of 2 records'));
    expect(screen.queryByRole('button', { name: 'Sync mirror' })).toBeNull();
  });

  it('shows a banner naming the line when verification fails', async () => {
    const { cockpit, dataDir } = await renderLedger();
    await act(async () => {
      await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'value-three-3' });
    });
    const file = path.join(dataDir, 'ledger', 'penpal-ai', 'ledger.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"started"', '"cancelled"'));
    fireEvent.click(screen.getByTestId('ledger-verify'));
    await waitFor(() =>
      expect(screen.getByTestId('ledger-broken').textContent).toContain('Line 1: content does not match its hash'),
    );
  });
});
