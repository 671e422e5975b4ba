import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/App';
import type { SignoffChecklist } from '../../src/shared/contract';
import { createClient } from '../../src/renderer/src/ipc/client';
import { usePlatformStore } from '../../src/renderer/src/stores/platform-store';
import { useViewStore } from '../../src/renderer/src/stores/view-store';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { memoryBridge } from '../helpers/memory-bridge';

beforeEach(() => {
  useViewStore.setState({ activeView: 'releases', intent: undefined });
  usePlatformStore.setState({ current: undefined });
});

describe('the acceptance checklist', () => {
  it('withdraws a sign-off only with a reason and a confirmation; the item is unsigned again and the ledger says why', async () => {
    const { cockpit } = await buildStartedCockpit({
      actor: { name: 'Quinn QA', email: 'quinn@penpal-ai.example', source: 'git' },
    });
    render(
      <MantineProvider>
        <App client={createClient(memoryBridge(cockpit))} />
      </MantineProvider>,
    );
    fireEvent.click(await screen.findByTestId('release-acceptance-tab'));
    const row = () => screen.getByTestId('signoff-blocker-auth');
    fireEvent.click(within(await screen.findByTestId('signoff-blocker-auth')).getByTestId('signoff-sign'));
    await waitFor(() => expect(row().textContent).toContain('✓ Quinn QA'));

    fireEvent.click(within(row()).getByTestId('signoff-withdraw'));
    const confirm = await screen.findByTestId('signoff-withdraw-confirm');
    expect(confirm).toHaveProperty('disabled', true);
    expect(document.body.textContent).toContain('blocks production deploys until someone signs it');
    fireEvent.change(screen.getByTestId('signoff-withdraw-reason'), { target: { value: '   ' } });
    expect(confirm).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByTestId('signoff-withdraw-reason'), {
      target: { value: 'signed against the wrong build' },
    });
    fireEvent.click(confirm);

    await waitFor(() => expect(within(row()).getByTestId('signoff-sign')).toBeTruthy());
    expect(row().textContent).not.toContain('✓');
    await waitFor(() => expect(screen.queryByTestId('signoff-withdraw-confirm')).toBeNull());
    const page = await cockpit.dispatch('ledger:query', { search: 'withdrew' });
    expect(page).toMatchObject({
      ok: true,
      value: {
        records: [
          expect.objectContaining({
            action: 'signoff',
            status: 'cancelled',
            summary: expect.stringContaining('signed against the wrong build'),
          }),
        ],
      },
    });
  });

  it('refuses a withdrawal without a reason at the choke point, changing nothing', async () => {
    const { cockpit } = await buildStartedCockpit({
      actor: { name: 'Quinn QA', email: 'quinn@penpal-ai.example', source: 'git' },
    });
    expect(await cockpit.dispatch('signoff:sign', { item: 'tablet' })).toMatchObject({ ok: true });
    expect(await cockpit.dispatch('signoff:revoke', { item: 'tablet', reason: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'Nothing was done: the reason is empty.' },
    });
    const checklist = (await cockpit.dispatch('signoff:checklist', {})) as { ok: true; value: SignoffChecklist };
    expect(checklist.value.items.find((item) => item.id === 'tablet')?.signedBy).toBe('Quinn QA');
  });
});
