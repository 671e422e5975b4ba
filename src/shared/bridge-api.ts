/**
 * The shape of `window.cockpit`, provided by the preload in Electron and by the loopback shim in
 * a browser. Untyped on purpose: it is a transport; the renderer's client adds the types.
 */
import type { Reply } from './reply';

export interface CockpitBridge {
  /** Sends a command and resolves with its reply; never rejects. */
  invoke(channel: string, payload: unknown): Promise<Reply<unknown>>;
  /** Listens to an event; returns the function that stops listening. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
  /** Which transport carries the calls. */
  readonly transport: 'ipc' | 'loopback';
}
