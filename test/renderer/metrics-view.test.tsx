import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { Ledger } from '../../src/main/core/ledger/ledger';
import { createClient } from '../../src/renderer/src/ipc/client';
import { usePlatformStore } from '../../src/renderer/src/stores/platform-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

beforeEach(() => {
  useViewStore.setState({ activeView: 'metrics' });
  usePlatformStore.setState({ current: undefined });
});

describe('the Metrics view', () => {
  it('shows each KPI of production against its target, the weekly trend and the services; writes the month’s report', async () => {
    const { cockpit } = await buildStartedCockpit();
    const dataDir = ((await cockpit.dispatch('app:info', {})) as { value: { dataDir: string } }).value.dataDir;
    // A day ago, but never minutes before midnight: the deploy must end in the same month it began.
    const base = Date.now() - 86_400_000;
    const dayAgo =
      new Date(base).getUTCDate() === new Date(base + 10 * 60_000).getUTCDate() ? base : base - 20 * 60_000;
    let now = new Date(dayAgo);
    const ledger = new Ledger({
      folder: path.join(dataDir, 'ledger', 'penpal-ai'),
      platformId: 'penpal-ai',
      actor: { name: 'Ana Release', source: 'git' },
      clock: () => now,
    });
    await ledger.append([
      {
        action: 'deploy.started',
        status: 'started',
        correlationId: 'run-1',
        environment: 'production',
        summary: 'run-1',
      },
    ]);
    now = new Date(dayAgo + 6 * 60_000);
    await ledger.append([
      {
        action: 'deploy.step',
        status: 'succeeded',
        correlationId: 'run-1',
        environment: 'production',
        services: ['auth-service'],
        versionTo: '2.1.0',
        durationMs: 6 * 60_000,
        summary: 'auth-service v2.1.0',
      },
      {
        action: 'deploy.finished',
        status: 'succeeded',
        correlationId: 'run-1',
        environment: 'production',
        summary: 'run-1',
        details: { steps: [{ service: 'auth-service', version: '2.1.0', status: 'succeeded' }] },
      },
    ]);
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('kpi-success-rate').textContent).toContain('100 %'));
    // One deploy is too few to call the rate on or off target.
    expect(screen.getByTestId('kpi-success-rate').textContent).toContain('too few to judge');
    expect(screen.getByTestId('kpi-success-rate').textContent).not.toMatch(/(on|off) target/);
    expect(screen.getByTestId('kpi-deploy-time').textContent).toContain('6 min');
    expect(screen.getByTestId('kpi-mttr').textContent).toContain('—');
    expect(screen.getByTestId('metrics-trend').getAttribute('aria-label')).toContain('1 succeeded, 0 failed');
    expect(screen.getByTestId('metrics-services').textContent).toContain('auth-service1 / 1100 %6 min0');

    // The month's compliance report is written into the data folder (the PDF needs a browser engine).
    fireEvent.change(screen.getByTestId('report-month'), {
      target: { value: new Date(dayAgo).toISOString().slice(0, 7) },
    });
    fireEvent.click(screen.getByTestId('report-write'));
    // The PDF is printed by a real headless Chromium: on a busy machine that takes a while.
    await waitFor(
      () => expect(screen.getByTestId('report-files').textContent).toContain(path.join(dataDir, 'reports')),
      { timeout: 100_000 },
    );
    const markdown = readFileSync(
      path.join(dataDir, 'reports', `penpal-ai-report-${new Date(dayAgo).toISOString().slice(0, 7)}.md`),
      'utf8',
    );
    expect(markdown).toContain('| Deployment success rate | 100 % | > 95% | too few to judge |');
  }, 120_000);
});
