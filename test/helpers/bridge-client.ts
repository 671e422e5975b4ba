/**
 * A Node client for the loopback bridge, speaking the same frames as the browser shim.
 */
import { request } from 'node:http';
import WebSocket from 'ws';

/** Opens the bridge socket; rejects with the HTTP status when the server refuses the upgrade. */
export function openBridgeSocket(
  url: string,
  headers: Record<string, string>,
  protocols: string[] = [],
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`refused with HTTP ${response.statusCode}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Sends a raw frame and waits for the reply with the given id. */
export function awaitReply(socket: WebSocket, id: number, send: () => void): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { kind: string; id?: number };
      if (frame.kind === 'reply' && frame.id === id) {
        socket.off('message', onMessage);
        resolve(frame);
      }
    };
    socket.on('message', onMessage);
    send();
  });
}

/** Collects the event frames the socket receives. */
export function collectEvents(socket: WebSocket) {
  const received: { channel: string; payload: unknown }[] = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { kind: string; channel: string; payload: unknown };
    if (frame.kind === 'event') received.push({ channel: frame.channel, payload: frame.payload });
  });
  return received;
}

/** A plain GET with explicit headers (fetch would not let us forge Host). */
export function httpGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request(url, { method: 'GET', headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}
