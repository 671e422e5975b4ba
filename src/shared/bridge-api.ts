/**
 * The shape of `window.cockpit`, provided by the preload in Electron and by the loopback shim in
 * a browser. Untyped on purpose: it is a transport; the renderer's client adds the types.
 */
import type { Reply } from './reply';

/**
 * The browser shim sends the bridge's token as a WebSocket subprotocol (`cockpit-token.<token>`,
 * beside `cockpit-bridge`) rather than in the socket's URL: a browser prints a failed socket's URL
 * in its console, on every reconnect attempt.
 */
export const bridgeProtocol = 'cockpit-bridge';
export const bridgeTokenProtocolPrefix = 'cockpit-token.';

export interface CockpitBridge {
  /** Sends a command and resolves with its reply; never rejects. */
  invoke(channel: string, payload: unknown): Promise<Reply<unknown>>;
  /** Listens to an event; returns the function that stops listening. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
  /** Which transport carries the calls. */
  readonly transport: 'ipc' | 'loopback';
  /**
   * Says when the link to the core is lost and back (the loopback socket); returns the function
   * that stops listening. Absent where the link cannot be lost on its own (Electron's IPC).
   */
  onConnection?(listener: (isConnected: boolean) => void): () => void;
}
