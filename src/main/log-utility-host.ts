/**
 * The desktop app's log thread: a utility process (Electron's `utilityProcess`) whose port reaches
 * the window directly (Electron's pattern for it, a `MessageChannelMain`): batches go from the
 * log process to the renderer and its acknowledgements come back, and main's event loop carries
 * none of them. Main keeps the control messages (pushes, commands, flow state, closing).
 * A window that (re)loads gets a fresh port (`reconnectConsumer`). Electron's objects are passed
 * in, typed as far as this file uses them, so the same code runs here with stand-ins.
 */
import type { LogHost, LogThreadRequest, StartLogHost } from './core/logs/log-bus-thread';

/** `MessagePortMain`, as used here. */
export interface MainPort {
  close(): void;
}

/** `UtilityProcess`, as used here. */
export interface UtilityProcessLike<Port extends MainPort> {
  postMessage(message: unknown, transfer?: Port[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string) => void): unknown;
}

export interface UtilityLogHostOptions<Port extends MainPort> {
  /** `utilityProcess.fork` of the built `log-bus-utility` entry. */
  fork(): UtilityProcessLike<Port>;
  /** `new MessageChannelMain()`. */
  channel(): { port1: Port; port2: Port };
  /**
   * Hands a port to the window (`webContents.postMessage('deploy:log-port', null, [port])`); false
   * without one — the batches then come back to main, and on to the window as `deploy:log` events.
   */
  sendToWindow(port: Port): boolean;
}

export function utilityLogHost<Port extends MainPort>(options: UtilityLogHostOptions<Port>): StartLogHost {
  return (setup) => {
    const child = options.fork();
    /** One end to the log process, the other to the window; with no window, no port at all. */
    const connect = (message: { type: 'setup'; setup: typeof setup } | { type: 'consumer' }) => {
      const { port1, port2 } = options.channel();
      if (options.sendToWindow(port2)) child.postMessage(message, [port1]);
      else {
        port1.close();
        port2.close();
        child.postMessage(message);
      }
    };
    connect({ type: 'setup', setup });
    const host: LogHost = {
      postMessage: (message: LogThreadRequest) => child.postMessage(message),
      on(event: 'message' | 'error' | 'exit', listener: (value: never) => void) {
        if (event === 'error')
          child.on('error', (type, location) =>
            (listener as (error: Error) => void)(new Error(`${type} in the log process (${location})`)),
          );
        else if (event === 'exit') child.on('exit', listener as (code: number) => void);
        else child.on('message', listener as (reply: unknown) => void);
        return host;
      },
      // A utility process never keeps the app running: the app quits when its windows close.
      ref: () => undefined,
      unref: () => undefined,
      reconnectConsumer: () => connect({ type: 'consumer' }),
    };
    return host;
  };
}
