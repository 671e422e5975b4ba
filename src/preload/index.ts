/**
 * Exposes `window.cockpit`: exactly the contract's channels, nothing else of IPC.
 * Imports only `electron` and the zod-free channel list; validation happens in main.
 * Also hands the page the log process's port (deploy logs without a hop through main).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCommandChannel, isEventChannel } from '../shared/channels';

contextBridge.exposeInMainWorld('cockpit', {
  transport: 'ipc',
  invoke(channel: string, payload: unknown) {
    if (!isCommandChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `There is no command named ${String(channel)}.` },
      });
    }
    return ipcRenderer.invoke(channel, payload).catch((error: unknown) => ({
      ok: false,
      error: { code: 'TRANSPORT', message: `The cockpit's main process did not answer: ${String(error)}` },
    }));
  },
  on(channel: string, listener: (payload: unknown) => void) {
    if (!isEventChannel(channel) || typeof listener !== 'function') return () => undefined;
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

// A port cannot cross the context bridge: it goes to this window's own page by postMessage
// (Electron's pattern for a context-isolated page), to its origin only.
const page = globalThis as unknown as {
  location: { origin: string };
  postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void;
};
ipcRenderer.on('deploy:log-port', (event) => {
  page.postMessage({ cockpit: 'deploy:log-port' }, page.location.origin, [...event.ports]);
});
