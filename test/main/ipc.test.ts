import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { bindIpc } from '../../src/main/ipc';
import { commandChannels } from '../../src/shared/channels';
import { buildCockpit } from '../helpers/cockpit-builder';
import { IpcMainDouble, WebContentsDouble } from '../helpers/electron-double';

const appFrame = { url: 'app://cockpit/index.html', parent: null };

function boundIpc() {
  const ipcMain = new IpcMainDouble();
  const { cockpit, logEntries } = buildCockpit();
  const window = new WebContentsDouble();
  const unbind = bindIpc(ipcMain as unknown as IpcMain, cockpit, {}, () => [window as unknown as WebContents]);
  return { ipcMain, cockpit, window, unbind, logEntries };
}

describe('the IPC binding', () => {
  it('registers exactly the contract’s commands', () => {
    const { ipcMain } = boundIpc();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...commandChannels].sort());
  });

  for (const channel of commandChannels) {
    describe(channel, () => {
      it('answers the app’s main frame', async () => {
        const { ipcMain } = boundIpc();
        await expect(ipcMain.invoke(channel, {}, appFrame)).resolves.toMatchObject({ ok: true });
      });

      it.each([
        ['a foreign page', { url: 'https://evil.example/', parent: null }],
        ['a subframe', { url: 'app://cockpit/index.html', parent: appFrame }],
        ['no frame', null],
      ])('refuses a message from %s with FORBIDDEN_SENDER', async (_label, frame) => {
        const { ipcMain, logEntries } = boundIpc();
        await expect(ipcMain.invoke(channel, {}, frame)).resolves.toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN_SENDER' },
        });
        expect(logEntries.some((entry) => entry.level === 'warn')).toBe(true);
      });

      it('refuses a bad payload with BAD_INPUT', async () => {
        const { ipcMain } = boundIpc();
        await expect(ipcMain.invoke(channel, { surprise: 'field' }, appFrame)).resolves.toMatchObject({
          ok: false,
          error: { code: 'BAD_INPUT' },
        });
      });
    });
  }

  it('forwards core events to the app’s windows, skipping destroyed ones', () => {
    const { cockpit, window } = boundIpc();
    cockpit.events.emit('app:heartbeat', { sequence: 1, sentAt: new Date(0).toISOString() });
    expect(window.sent).toEqual([
      { channel: 'app:heartbeat', payload: { sequence: 1, sentAt: '1970-01-01T00:00:00.000Z' } },
    ]);
    window.destroyed = true;
    cockpit.events.emit('app:heartbeat', { sequence: 2, sentAt: new Date(0).toISOString() });
    expect(window.sent).toHaveLength(1);
  });

  it('detaches cleanly', () => {
    const { ipcMain, unbind, cockpit, window } = boundIpc();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
    cockpit.events.emit('app:heartbeat', { sequence: 1, sentAt: new Date(0).toISOString() });
    expect(window.sent).toHaveLength(0);
  });
});
