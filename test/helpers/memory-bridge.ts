/**
 * A `window.cockpit` wired straight to a real core in the same process, the way Lens runs whole
 * flows without Electron: values are structured-cloned as IPC would.
 */
import type { Cockpit } from '../../src/main/core/cockpit';
import type { CockpitBridge } from '../../src/shared/bridge-api';

export function memoryBridge(cockpit: Cockpit): CockpitBridge {
  return {
    transport: 'ipc',
    invoke: async (channel, payload) => structuredClone(await cockpit.dispatch(channel, structuredClone(payload))),
    on: (channel, listener) =>
      cockpit.events.subscribe((emitted, payload) => {
        if (emitted === channel) listener(structuredClone(payload));
      }),
  };
}
