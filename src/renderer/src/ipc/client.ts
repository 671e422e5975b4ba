/**
 * The renderer's typed client over `window.cockpit`: channel names, inputs, outputs and event
 * payloads are all checked against the contract at compile time.
 */
import type { CockpitBridge } from '../../../shared/bridge-api';
import type { CommandChannel, EventChannel } from '../../../shared/channels';
import type { CommandInput, CommandOutput, EventPayload } from '../../../shared/contract';
import type { Reply } from '../../../shared/reply';

export interface CockpitClient {
  readonly transport: CockpitBridge['transport'] | 'none';
  invoke<K extends CommandChannel>(channel: K, input: CommandInput<K>): Promise<Reply<CommandOutput<K>>>;
  on<K extends EventChannel>(channel: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** Says when the link to the core is lost and back; a no-op where it cannot be lost. */
  onConnection(listener: (isConnected: boolean) => void): () => void;
}

/** Wraps a bridge in the typed client. */
export function createClient(bridge: CockpitBridge | undefined): CockpitClient {
  if (!bridge) return disconnectedClient;
  return {
    transport: bridge.transport,
    invoke: (channel, input) => bridge.invoke(channel, input) as Promise<Reply<CommandOutput<typeof channel>>>,
    on: (channel, listener) => bridge.on(channel, listener as (payload: unknown) => void),
    onConnection: (listener) => bridge.onConnection?.(listener) ?? (() => undefined),
  };
}

const disconnectedClient: CockpitClient = {
  transport: 'none',
  invoke: () =>
    Promise.resolve({
      ok: false,
      error: {
        code: 'TRANSPORT',
        message: 'This page is not connected to a cockpit core. Start it with `npm start` or `npm run start:web`.',
      },
    }),
  on: () => () => undefined,
  onConnection: () => () => undefined,
};
