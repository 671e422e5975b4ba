import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import { createClient } from '../../src/renderer/src/ipc/client';
import { usePlatformStore } from '../../src/renderer/src/stores/platform-store';
import { useRollbackStore } from '../../src/renderer/src/stores/rollback-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildStartedCockpit, samplePlatformFile } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

beforeEach(() => {
  useViewStore.setState({ activeView: 'rollback' });
  usePlatformStore.setState({ current: undefined });
  useRollbackStore.getState().reset();
});

/** The sample platform with its backups in a temporary folder holding two archives. */
function sampleWithBackups(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-view-backups-'));
  mkdirSync(path.join(folder, 'production'));
  writeFileSync(path.join(folder, 'production', 'penpal-ai-2026-11-29-02-00.archive.gz'), 'a'.repeat(2048));
  writeFileSync(path.join(folder, 'production', 'penpal-ai-2026-11-30-02-00.archive.gz'), 'b'.repeat(4096));
  const file = path.join(folder, 'platform.yaml');
  writeFileSync(
    file,
    readFileSync(samplePlatformFile, 'utf8').replace(
      'path: /var/backups/penpal-ai/mongodb',
      `path: ${folder}/{environment}`,
    ),
  );
  return file;
}

describe('the Rollback view', () => {
  it('offers a level 3 restore only once the environment’s name is typed, listing backups and what stops', async () => {
    const { cockpit } = await buildStartedCockpit({ platformFile: sampleWithBackups() });
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    fireEvent.click(await screen.findByTestId('rollback-triage'));
    await screen.findByTestId('rollback-assessment');
    expect(screen.getByTestId('rollback-runbook').textContent).toContain('Runbook of level 1: 3 steps');
    fireEvent.click(screen.getByTestId('rollback-level-3'));
    await waitFor(() =>
      expect(screen.getByTestId('rollback-runbook').textContent).toContain('Runbook of level 3: 6 steps'),
    );
    expect(screen.getByTestId('rollback-runbook').textContent).toContain('1 can proceed offline');
    const backup = (await screen.findByTestId('rollback-backup')) as HTMLInputElement;
    expect(backup.value).toContain('penpal-ai-2026-11-30-02-00.archive.gz — taken 2026-11-30T02:00:00.000Z, 4.0 kB');
    expect(screen.getByTestId('rollback-choices').textContent).toContain('db-service → auth-service');
    const start = screen.getByTestId('rollback-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    const confirmation = screen.getByTestId('rollback-confirmation');
    fireEvent.change(confirmation, { target: { value: 'prod' } });
    expect(start.disabled).toBe(true);
    fireEvent.change(confirmation, { target: { value: 'production' } });
    expect(start.disabled).toBe(false);
    expect(start.textContent).toBe('Restore production from the backup (level 3)');
  });
});
