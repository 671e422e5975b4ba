/**
 * Real HTTP servers on 127.0.0.1 whose behaviour a test can switch: healthy, failing with a 500,
 * hanging, closing the socket (always, or once), or reporting another version.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour = 'healthy' | 'error-500' | 'hang' | 'close-socket' | 'close-once' | 'degraded';

export interface ProbeServer {
  url: string;
  version: string;
  behaviour: Behaviour;
  requests: number;
  /** TCP connections accepted (keep-alive reuses one). */
  connections: number;
  close(): Promise<void>;
}

export async function startProbeServer(version = '1.0.0', behaviour: Behaviour = 'healthy'): Promise<ProbeServer> {
  const sockets = new Set<Socket>();
  const state: ProbeServer = { url: '', version, behaviour, requests: 0, connections: 0, close: async () => undefined };
  const server: Server = createServer((request, response) => {
    state.requests++;
    switch (state.behaviour) {
      case 'hang':
        return; // Never answers.
      case 'close-socket':
        request.socket.destroy();
        return;
      case 'close-once':
        // One dropped request, as a lossy network drops one; healthy after it.
        state.behaviour = 'healthy';
        request.socket.destroy();
        return;
      case 'error-500':
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'error', version: state.version }));
        return;
      default:
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            status: state.behaviour === 'degraded' ? 'degraded' : 'ok',
            version: state.version,
            commit: 'abc1234',
          }),
        );
    }
  });
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return state;
}
