/**
 * The loopback bridge: the same core and contract served to a real browser, for end-to-end tests
 * and headless use where Electron cannot run.
 *
 * It listens on 127.0.0.1 only. The page and the socket need the per-run token; the socket also
 * needs the page's own Origin, and every request needs a loopback Host (against DNS rebinding).
 * The built renderer is served under the same Content-Security-Policy as the app window.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  bridgeProtocol,
  bridgeSocketPath,
  bridgeTokenParameter,
  bridgeTokenProtocolPrefix,
  InvokeFrame,
} from '../../shared/bridge-protocol';
import { contentSecurityPolicy } from '../../shared/csp';
import { fail } from '../../shared/reply';
import type { Cockpit } from '../core/cockpit';
import { readStaticFile, resolveStaticPath } from '../core/static-files';

export interface BridgeServerOptions {
  cockpit: Cockpit;
  /** The built renderer folder (`out/renderer`). */
  rendererRoot: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fixed token, for tests; a random one otherwise. */
  token?: string;
}

export interface BridgeServer {
  /** The page to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** How many sockets are connected now. */
  connectionCount(): number;
  close(): Promise<void>;
}

const loopbackHost = '127.0.0.1';
const maxFrameBytes = 1024 * 1024;
/** The page served at `/`: the renderer with the loopback shim in front of it. */
const bridgePage = 'web.html';

/** Starts the bridge and resolves once it listens. */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const sockets = new Set<WebSocket>();
  const webSockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxFrameBytes,
    // The shim offers the bridge's protocol and its token; only the protocol is chosen back.
    handleProtocols: (protocols) => (protocols.has(bridgeProtocol) ? bridgeProtocol : false),
  });
  const http = createServer();
  let port = 0;
  const origin = () => `http://${loopbackHost}:${port}`;
  const allowedHosts = () => new Set([`${loopbackHost}:${port}`, `localhost:${port}`]);
  // A page opened at http://localhost:PORT works as one opened at http://127.0.0.1:PORT.
  const allowedOrigins = () => new Set([origin(), `http://localhost:${port}`]);
  const securityHeaders = () => ({
    'Content-Security-Policy': contentSecurityPolicy([`ws://${loopbackHost}:${port}`, `ws://localhost:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });

  const hasToken = (url: URL) => safeEqual(url.searchParams.get(bridgeTokenParameter) ?? '', token);
  const hasProtocolToken = (request: IncomingMessage) =>
    String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim())
      .some(
        (protocol) =>
          protocol.startsWith(bridgeTokenProtocolPrefix) &&
          safeEqual(protocol.slice(bridgeTokenProtocolPrefix.length), token),
      );

  // Nothing a client sends may end the process: every handler is guarded, and a request that
  // cannot even be parsed gets a plain refusal.
  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) respond(response, 500, 'The bridge could not serve this file.');
      else response.destroy();
    });
  });
  http.on('clientError', (_error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse) {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      return respond(response, 421, 'This bridge only answers requests addressed to 127.0.0.1.');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return respond(response, 405, 'Only GET and HEAD are served.');
    }
    const url = requestTarget(request.url);
    if (!url) return respond(response, 400, 'The request target is not a path on this bridge.');
    const filePath = resolveStaticPath(options.rendererRoot, url.pathname, bridgePage);
    const file = filePath ? await readStaticFile(options.rendererRoot, filePath) : undefined;
    // The token guards what the file is, however its path was spelled (`/%77eb.html`, `/web.html/`).
    if (file?.isPage && !hasToken(url)) {
      return respond(response, 403, "Open the URL printed by `npm run start:web`: it carries this run's token.");
    }
    if (!file) return respond(response, 404, 'Not found.');
    response.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  function respond(response: ServerResponse, status: number, message: string) {
    response.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(message);
  }

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const refusal = refuseUpgrade(request);
      if (refusal) {
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      webSockets.handleUpgrade(request, socket, head, (webSocket) => attach(webSocket));
    } catch {
      socket.destroy();
    }
  });

  function refuseUpgrade(request: IncomingMessage): string | undefined {
    if (!allowedHosts().has(request.headers.host ?? '')) return '421 Misdirected Request';
    const url = requestTarget(request.url);
    if (!url) return '400 Bad Request';
    if (url.pathname !== bridgeSocketPath) return '404 Not Found';
    if (!hasToken(url) && !hasProtocolToken(request)) return '401 Unauthorized';
    if (!allowedOrigins().has(request.headers.origin ?? '')) return '403 Forbidden';
    return undefined;
  }

  function attach(webSocket: WebSocket) {
    sockets.add(webSocket);
    webSocket.on('close', () => sockets.delete(webSocket));
    webSocket.on('error', () => webSocket.terminate());
    webSocket.on('message', (data, isBinary) => {
      void handleFrame(webSocket, isBinary ? undefined : data.toString());
    });
  }

  async function handleFrame(webSocket: WebSocket, text: string | undefined) {
    const frame = parseInvoke(text);
    if (!frame.ok) {
      if (frame.id !== undefined) send(webSocket, { kind: 'reply', id: frame.id, reply: frame.reply });
      return;
    }
    const reply = await options.cockpit.dispatch(frame.value.channel, frame.value.payload);
    send(webSocket, { kind: 'reply', id: frame.value.id, reply });
  }

  const detachEvents = options.cockpit.events.subscribe((channel, payload) => {
    for (const webSocket of sockets) send(webSocket, { kind: 'event', channel, payload });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, loopbackHost, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `${origin()}/?${bridgeTokenParameter}=${token}`,
    origin: origin(),
    port,
    token,
    connectionCount: () => sockets.size,
    async close() {
      detachEvents();
      for (const webSocket of sockets) webSocket.terminate();
      webSockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * The path and query of a request in origin form (`/path?query`), or `undefined` for anything
 * else (`//`, `*`, an absolute URL, a malformed escape): never thrown.
 */
export function requestTarget(raw: string | undefined): URL | undefined {
  if (!raw?.startsWith('/') || raw.startsWith('//')) return undefined;
  return URL.parse(`http://${loopbackHost}${raw}`) ?? undefined;
}

type ParsedInvoke =
  { ok: true; value: InvokeFrame } | { ok: false; id: number | undefined; reply: ReturnType<typeof fail> };

function parseInvoke(text: string | undefined): ParsedInvoke {
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch {
    return { ok: false, id: undefined, reply: fail('TRANSPORT', 'The bridge received a frame that is not JSON.') };
  }
  const parsed = InvokeFrame.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const id =
    typeof raw === 'object' && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id)
      ? (raw as { id: number }).id >= 0
        ? (raw as { id: number }).id
        : undefined
      : undefined;
  return {
    ok: false,
    id,
    reply: fail(
      'TRANSPORT',
      'The bridge received a malformed frame: expected { kind: "invoke", id, channel, payload }.',
    ),
  };
}

function send(webSocket: WebSocket, frame: unknown) {
  if (webSocket.readyState === webSocket.OPEN) webSocket.send(JSON.stringify(frame));
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
