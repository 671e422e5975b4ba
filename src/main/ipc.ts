/**
 * Binds the contract to Electron IPC: one `ipcMain.handle` per command, each refusing senders
 * other than the app's own main frame before the core sees the payload; core events are sent to
 * the app's windows.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { commandChannels } from '../shared/channels';
import { fail } from '../shared/reply';
import type { Cockpit } from './core/cockpit';
import { isTrustedSender, type RendererOrigin } from './security-policy';

/** Attaches the core to IPC; returns the function that detaches it. */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  cockpit: Cockpit,
  origin: RendererOrigin,
  listWebContents: () => WebContents[],
): () => void {
  for (const channel of commandChannels) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame, origin)) {
        cockpit.logger.warn('Refused an IPC message from an untrusted frame', { channel });
        return fail('FORBIDDEN_SENDER', 'This message did not come from the cockpit window and was refused.');
      }
      return cockpit.dispatch(channel, payload);
    });
  }
  const detachEvents = cockpit.events.subscribe((channel, payload) => {
    for (const contents of listWebContents()) {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    }
  });
  return () => {
    detachEvents();
    for (const channel of commandChannels) ipcMain.removeHandler(channel);
  };
}
