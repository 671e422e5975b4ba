/**
 * `window.cockpit` over the loopback bridge's WebSocket, for the renderer served to a real browser.
 * It speaks the frames of `shared/bridge-protocol.ts`; commands sent before the socket opens wait
 * for it, and a lost socket answers every pending command with a TRANSPORT error.
 */
import { bridgeProtocol, bridgeTokenProtocolPrefix, type CockpitBridge } from '../../shared/bridge-api';
import type { Reply } from '../../shared/reply';

const tokenParameter = 'token';
const socketPath = '/bridge';
const maxReconnectDelayMs = 5_000;

function transportError(message: string): Reply<never> {
  return { ok: false, error: { code: 'TRANSPORT', message } };
}

function createLoopbackBridge(): CockpitBridge {
  const token = new URLSearchParams(window.location.search).get(tokenParameter) ?? '';
  // The token travels as a subprotocol, never in the socket's URL (which a browser logs).
  const socketUrl = `ws://${window.location.host}${socketPath}`;
  const protocols = [bridgeProtocol, `${bridgeTokenProtocolPrefix}${token}`];
  const connectionListeners = new Set<(isConnected: boolean) => void>();
  let isConnected = false;
  const setConnected = (value: boolean) => {
    if (value === isConnected) return;
    isConnected = value;
    for (const listener of connectionListeners) listener(value);
  };
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queued: string[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let reconnectDelayMs = 250;

  const connect = () => {
    socket = new WebSocket(socketUrl, protocols);
    socket.addEventListener('open', () => {
      reconnectDelayMs = 250;
      for (const frame of queued.splice(0)) socket.send(frame);
      setConnected(true);
    });
    socket.addEventListener('message', (message) => receive(message.data));
    socket.addEventListener('close', () => {
      setConnected(false);
      for (const [id, resolve] of pending) {
        pending.delete(id);
        resolve(transportError('The connection to the cockpit core was lost. Reconnecting…'));
      }
      setTimeout(connect, reconnectDelayMs);
      reconnectDelayMs = Math.min(reconnectDelayMs * 2, maxReconnectDelayMs);
    });
  };

  const receive = (data: unknown) => {
    if (typeof data !== 'string') return;
    let frame: { kind?: unknown; id?: unknown; reply?: unknown; channel?: unknown; payload?: unknown };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return;
    }
    if (frame.kind === 'reply' && typeof frame.id === 'number') {
      const resolve = pending.get(frame.id);
      pending.delete(frame.id);
      resolve?.(frame.reply as Reply<unknown>);
    } else if (frame.kind === 'event' && typeof frame.channel === 'string') {
      for (const listener of listeners.get(frame.channel) ?? []) listener(frame.payload);
    }
  };

  connect();

  return {
    transport: 'loopback',
    invoke(channel, payload) {
      const id = nextId++;
      const frame = JSON.stringify({ kind: 'invoke', id, channel, payload });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket.readyState === WebSocket.OPEN) socket.send(frame);
        else queued.push(frame);
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

/** Defines `window.cockpit` over the loopback socket (once) and returns it. */
export function installLoopbackBridge(): CockpitBridge {
  if (window.cockpit) return window.cockpit;
  const bridge = Object.freeze(createLoopbackBridge());
  Object.defineProperty(window, 'cockpit', { value: bridge, writable: false });
  return bridge;
}
