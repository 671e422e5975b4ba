/**
 * A stand-in for a Slack incoming webhook (Slack cannot be reached here), answering as Slack's
 * documentation says (https://api.slack.com/messaging/webhooks#handling_errors): 200 `ok`,
 * 400 `invalid_payload` / `no_text`, 403 `action_prohibited`, 404 `channel_not_found`,
 * 410 `channel_is_archived`, 429 `rate_limited` with `Retry-After`, 500 `rollup_error`. Tests
 * script the next answers, make a request hang, and count the messages it received.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type SlackScriptedAnswer =
  | { status: 200 | 400 | 403 | 404 | 410 | 500; body: string }
  | { status: 429; body: 'rate_limited'; retryAfterSeconds: number }
  | 'hang';

export interface SlackStandIn {
  /** The webhook URL, as Slack gives one. */
  url: string;
  port: number;
  /** Answers for the next requests, in order; then 200 `ok`. */
  answers: SlackScriptedAnswer[];
  /** Every payload received, parsed. */
  received: { text?: string; blocks?: unknown[] }[];
  /** Called when a request arrives (before it is answered). */
  onRequest?: () => void;
  /** How many received payloads carry this outbox message id. */
  deliveriesOf(messageId: string): number;
  close(): Promise<void>;
}

export async function startSlackStandIn(port = 0): Promise<SlackStandIn> {
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const state: SlackStandIn = {
    url: '',
    port: 0,
    answers: [],
    received: [],
    deliveriesOf: (messageId) => state.received.filter((payload) => JSON.stringify(payload).includes(messageId)).length,
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let payload: { text?: unknown; blocks?: unknown[] };
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof payload;
      } catch {
        response.writeHead(400, { 'content-type': 'text/html' }).end('invalid_payload');
        return;
      }
      if (typeof payload.text !== 'string' || payload.text.length === 0) {
        response.writeHead(400, { 'content-type': 'text/html' }).end('no_text');
        return;
      }
      state.received.push(payload as { text: string; blocks?: unknown[] });
      state.onRequest?.();
      const answer = state.answers.shift() ?? { status: 200, body: 'ok' };
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'text/html' };
      if (answer.status === 429) headers['retry-after'] = String(answer.retryAfterSeconds);
      response.writeHead(answer.status, headers).end(answer.body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/services/T0000000/B0000000/standInWebhookToken`;
  state.close = async () => {
    for (const socket of sockets) socket.destroy();
    hanging.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
