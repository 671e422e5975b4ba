/**
 * Deploy logs on a port from the desktop app's log process: the page takes the port the preload
 * posts to it (and no other message), reads batches from it, ignores anything else on it, and
 * acknowledges on it. Real MessageChannels.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acknowledgeOnPort, logPortMessage, onLogPort, readLogPort } from '../../../src/renderer/src/ipc/log-ports';
import type { LogBatchChunk } from '../../../src/renderer/src/terminal/terminal-registry';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const { port1, port2 } of channels.splice(0)) {
    port1.close();
    port2.close();
  }
});

function channel(): MessageChannel {
  const created = new MessageChannel();
  channels.push(created);
  return created;
}

describe('log ports', () => {
  it('reads the batches that come on the port, ignores anything else, and acknowledges on it', async () => {
    const { port1: processSide, port2: pageSide } = channel();
    const batches: { runId: string; chunks: LogBatchChunk[] }[] = [];
    readLogPort(pageSide as never, (runId, chunks) => batches.push({ runId, chunks }));
    processSide.postMessage({ type: 'run', command: ['rm', '-rf', '/'] });
    processSide.postMessage({ type: 'batch', runId: 'r1', chunks: [{ service: 'api', text: 42 }] });
    processSide.postMessage({ type: 'batch', runId: 'r1', chunks: [{ service: 'api', text: 'up\n' }] });
    await expect.poll(() => batches).toEqual([{ runId: 'r1', chunks: [{ service: 'api', text: 'up\n' }] }]);
    const acknowledgements: unknown[] = [];
    processSide.onmessage = (event) => acknowledgements.push(event.data);
    acknowledgeOnPort(pageSide as never, 'r1', 3);
    await expect.poll(() => acknowledgements).toEqual([{ type: 'ack', runId: 'r1', characters: 3 }]);
  });

  it("takes only the preload's message from this window itself, with its port", () => {
    const { port2 } = channel();
    const received: MessagePort[] = [];
    const stop = onLogPort(window, (port) => received.push(port));
    const post = (init: MessageEventInit) => window.dispatchEvent(new MessageEvent('message', init));
    post({ data: { cockpit: 'something else' }, source: window, ports: [port2] as never });
    post({ data: { cockpit: logPortMessage }, source: null, ports: [port2] as never });
    post({ data: { cockpit: logPortMessage }, source: window, ports: [] });
    expect(received).toEqual([]);
    post({ data: { cockpit: logPortMessage }, source: window, ports: [port2] as never });
    expect(received).toEqual([port2]);
    stop();
    post({ data: { cockpit: logPortMessage }, source: window, ports: [port2] as never });
    expect(received).toHaveLength(1);
  });
});
