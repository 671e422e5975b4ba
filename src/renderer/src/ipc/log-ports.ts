/**
 * Deploy logs straight from the desktop app's log process, with no hop through main: the preload
 * hands each port the app gives the window (`deploy:log-port`) to the page by `window.postMessage`
 * (a port cannot cross the context bridge); batches arrive on it, and their acknowledgements go
 * back on it. Outside the desktop app no port comes, and the logs arrive as `deploy:log` events.
 */
import type { LogBatchChunk } from '../terminal/terminal-registry';

/** The web `MessagePort`, as used here. */
export interface LogPort {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** What the preload posts to the page, with the port as the message's one transferred port. */
export const logPortMessage = 'deploy:log-port';

/** Calls `listener` with each log port the preload hands this window; returns the way to stop. */
export function onLogPort(target: Window, listener: (port: MessagePort) => void): () => void {
  const receive = (event: MessageEvent) => {
    if (event.source !== target || (event.data as { cockpit?: unknown } | null)?.cockpit !== logPortMessage) return;
    const [port] = event.ports;
    if (port) listener(port);
  };
  target.addEventListener('message', receive);
  return () => target.removeEventListener('message', receive);
}

/** Reads the batches that come on `port` (starting it); anything else on it is ignored. */
export function readLogPort(port: LogPort, onBatch: (runId: string, chunks: LogBatchChunk[]) => void): void {
  port.onmessage = (event) => {
    const batch = logBatch(event.data);
    if (batch) onBatch(batch.runId, batch.chunks);
  };
}

/** Tells the log process that `characters` more of a run were shown. */
export function acknowledgeOnPort(port: LogPort, runId: string, characters: number): void {
  port.postMessage({ type: 'ack', runId, characters });
}

function logBatch(data: unknown): { runId: string; chunks: LogBatchChunk[] } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, runId, chunks } = data as { type?: unknown; runId?: unknown; chunks?: unknown };
  if (type !== 'batch' || typeof runId !== 'string' || !Array.isArray(chunks)) return undefined;
  const isChunk = (chunk: unknown) =>
    typeof (chunk as LogBatchChunk | null)?.service === 'string' && typeof (chunk as LogBatchChunk).text === 'string';
  return chunks.every(isChunk) ? { runId, chunks: chunks as LogBatchChunk[] } : undefined;
}
