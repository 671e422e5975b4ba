/**
 * The log bus's thread as an Electron utility process (the desktop app): the thread's service
 * (`log-thread-service`) on the process's `parentPort`. Its first message is the setup, with the
 * port whose other end is the window's (batches go straight there, acknowledgements come back);
 * a `consumer` request later brings a new one. No Electron import: `process.parentPort` and the
 * ports it delivers (`MessagePortMain`) are Electron's documented API.
 */
import type { LogThreadSetup } from './log-bus-thread';
import { serveLogThread, type ThreadPort } from './log-thread-service';

/** Electron's `MessagePortMain`, and `process.parentPort`, as far as this process uses them. */
interface ElectronPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports: ElectronPort[] }) => void): unknown;
  once(event: 'message', listener: (event: { data: unknown; ports: ElectronPort[] }) => void): unknown;
  start?(): void;
  close?(): void;
}

function threadPort(port: ElectronPort): ThreadPort {
  return {
    post: (message) => port.postMessage(message),
    listen: (handler) => {
      port.on('message', ({ data, ports }) => handler(data, ports[0] ? threadPort(ports[0]) : undefined));
      // A MessagePortMain queues what comes until it is started (parentPort needs no start).
      port.start?.();
    },
    close: () => port.close?.(),
  };
}

const parentPort = (process as NodeJS.Process & { parentPort?: ElectronPort }).parentPort;
if (!parentPort) throw new Error('The log process must be started as an Electron utility process.');
parentPort.once('message', ({ data, ports }) => {
  const { setup } = data as { setup: Omit<LogThreadSetup, 'consumerPort'> };
  serveLogThread(setup, threadPort(parentPort), ports[0] ? threadPort(ports[0]) : undefined);
});
