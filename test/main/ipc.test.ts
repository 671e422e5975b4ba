import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { bindIpc } from '../../src/main/ipc';
import { commandChannels } from '../../src/shared/channels';
import type { Reply } from '../../src/shared/reply';
import { buildStartedCockpit } from '../helpers/cockpit-builder';
import { sampleInputs } from '../helpers/sample-inputs';
import { IpcMainDouble, WebContentsDouble } from '../helpers/electron-double';

const appFrame = { url: 'app://cockpit/index.html', parent: null };

async function boundIpc() {
  const ipcMain = new IpcMainDouble();
  const { cockpit, logEntries } = await buildStartedCockpit();
  const window = new WebContentsDouble();
  const unbind = bindIpc(ipcMain as unknown as IpcMain, cockpit, {}, () => [window as unknown as WebContents]);
  return { ipcMain, cockpit, window, unbind, logEntries };
}

describe('the IPC binding', () => {
  it('registers exactly the contract’s commands', async () => {
    const { ipcMain } = await boundIpc();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...commandChannels].sort());
  });

  for (const channel of commandChannels) {
    describe(channel, () => {
      it('answers the app’s main frame', async () => {
        const { ipcMain } = await boundIpc();
        // It reaches the core: a value, or the core's own typed answer (e.g. no mirror configured).
        const reply = (await ipcMain.invoke(channel, sampleInputs[channel], appFrame)) as Reply<unknown>;
        if (!reply.ok) expect(['FORBIDDEN_SENDER', 'BAD_INPUT', 'INTERNAL']).not.toContain(reply.error.code);
        // report:monthly prints a PDF with a real headless Chromium: slow on a busy machine.
      }, 120_000);

      it.each([
        ['a foreign page', { url: 'https://evil.example/', parent: null }],
        ['a subframe', { url: 'app://cockpit/index.html', parent: appFrame }],
        ['no frame', null],
      ])('refuses a message from %s with FORBIDDEN_SENDER', async (_label, frame) => {
        const { ipcMain, logEntries } = await boundIpc();
        await expect(ipcMain.invoke(channel, sampleInputs[channel], frame)).resolves.toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN_SENDER' },
        });
        expect(logEntries.some((entry) => entry.level === 'warn')).toBe(true);
      });

      it('refuses a bad payload with BAD_INPUT', async () => {
        const { ipcMain } = await boundIpc();
        await expect(ipcMain.invoke(channel, { surprise: 'field' }, appFrame)).resolves.toMatchObject({
          ok: false,
          error: { code: 'BAD_INPUT' },
        });
      });
    });
  }

  it('has no side effect when a forged sender tries to set a credential', async () => {
    const { ipcMain } = await boundIpc();
    await ipcMain.invoke(
      'credentials:set',
      { id: 'github-token', value: 'forged-value-123' },
      { url: 'https://evil.example/', parent: null },
    );
    const listed = (await ipcMain.invoke('credentials:list', {}, appFrame)) as {
      value: { credentials: { id: string; isSet: boolean }[] };
    };
    expect(listed.value.credentials.find((credential) => credential.id === 'github-token')?.isSet).toBe(false);
  });

  it('forwards core events to the app’s windows, skipping destroyed ones', async () => {
    const { cockpit, window } = await boundIpc();
    cockpit.events.emit('app:heartbeat', { sequence: 1, sentAt: new Date(0).toISOString() });
    expect(window.sent).toEqual([
      { channel: 'app:heartbeat', payload: { sequence: 1, sentAt: '1970-01-01T00:00:00.000Z' } },
    ]);
    window.destroyed = true;
    cockpit.events.emit('app:heartbeat', { sequence: 2, sentAt: new Date(0).toISOString() });
    expect(window.sent).toHaveLength(1);
  });

  it('detaches cleanly', async () => {
    const { ipcMain, unbind, cockpit, window } = await boundIpc();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
    cockpit.events.emit('app:heartbeat', { sequence: 1, sentAt: new Date(0).toISOString() });
    expect(window.sent).toHaveLength(0);
  });
});
