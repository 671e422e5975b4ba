/**
 * The one place where the core's events and first answers enter the renderer's stores.
 */
import { useConnectionStore } from '../stores/connection-store';
import type { CockpitClient } from './client';

/** Loads the initial state and listens to events; returns the function that stops everything. */
export function startSubscriptions(client: CockpitClient, now: () => number = Date.now): () => void {
  const connection = useConnectionStore.getState();
  let isActive = true;
  void client.invoke('app:info', {}).then((reply) => {
    if (!isActive) return;
    if (reply.ok) connection.setAppInfo(reply.value);
    else connection.setInfoError(reply.error.message);
  });
  const unsubscribers = [client.on('app:heartbeat', () => connection.recordHeartbeat(now()))];
  return () => {
    isActive = false;
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
