/**
 * A stand-in for the parts of Electron the window and IPC modules touch, recording what they do.
 * Electron's binary cannot run on the build machines; this double lets the security decisions be
 * asserted in plain Node.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';

/** Emits an Electron-style event and says whether a listener prevented its default action. */
export function emitPreventable(emitter: EventEmitter, name: string, ...args: unknown[]): boolean {
  let isPrevented = false;
  emitter.emit(name, { preventDefault: () => (isPrevented = true) }, ...args);
  return isPrevented;
}

export class WebContentsDouble extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: string };
  sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class BrowserWindowDouble extends EventEmitter {
  static created: BrowserWindowDouble[] = [];
  readonly webContents = new WebContentsDouble();
  isShown = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    BrowserWindowDouble.created.push(this);
  }
  show() {
    this.isShown = true;
  }
}

export class SessionDouble {
  permissionRequestHandler?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  permissionCheckHandler?: (...args: unknown[]) => boolean;
  headersListener?: (
    details: { responseHeaders?: Record<string, string[]> },
    callback: (response: { responseHeaders: Record<string, string[]> }) => void,
  ) => void;

  setPermissionRequestHandler(handler: SessionDouble['permissionRequestHandler']) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: SessionDouble['permissionCheckHandler']) {
    this.permissionCheckHandler = handler;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: SessionDouble['headersListener']) => {
      this.headersListener = listener;
    },
  };
}

export type InvokeHandler = (event: { senderFrame: unknown }, payload: unknown) => Promise<unknown>;

export class IpcMainDouble {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** Invokes as a renderer would, from the given frame. */
  invoke(channel: string, payload: unknown, senderFrame: unknown) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame }, payload);
  }
}
