/**
 * The core's outgoing events, typed by the contract and validated before they leave.
 *
 * Transports (Electron IPC, the loopback bridge) subscribe to everything and forward it; the core
 * only ever calls `emit`.
 */
import { events, type EventPayload } from '../../shared/contract';
import type { EventChannel } from '../../shared/channels';

export type EventListener = (channel: EventChannel, payload: unknown) => void;

/** A fan-out of contract events to the transports that are attached. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  /** Sends an event to every attached transport; throws if the payload breaks the contract. */
  emit<K extends EventChannel>(channel: K, payload: EventPayload<K>): void {
    const checked = events[channel].payload.parse(payload);
    for (const listener of this.listeners) listener(channel, checked);
  }

  /** Attaches a transport; returns the function that detaches it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
