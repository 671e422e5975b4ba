import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../../src/main/bridge/server';
import { awaitReply, collectEvents, httpGet, openBridgeSocket } from '../../helpers/bridge-client';
import { buildCockpit, temporaryDataDir } from '../../helpers/cockpit-builder';

const servers: BridgeServer[] = [];

async function startBridge() {
  const parent = temporaryDataDir();
  const rendererRoot = path.join(parent, 'renderer');
  mkdirSync(path.join(rendererRoot, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererRoot, 'web.html'), '<!doctype html><p>bridge page</p>');
  writeFileSync(path.join(rendererRoot, 'assets', 'app.js'), 'export {}');
  writeFileSync(path.join(parent, 'outside.txt'), 'OUTSIDE');
  const { cockpit } = buildCockpit();
  const server = await startBridgeServer({ cockpit, rendererRoot });
  servers.push(server);
  const socketUrl = (token = server.token) => `ws://127.0.0.1:${server.port}/bridge?token=${token}`;
  return { server, cockpit, socketUrl, origin: { Origin: server.origin } };
}

/** Sends raw bytes to the bridge and resolves with everything it answered once it closes. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.end(bytes);
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('the loopback bridge', () => {
  it('listens on 127.0.0.1 only, with a long random token', async () => {
    const { server } = await startBridge();
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
    expect(server.url).toBe(`${server.origin}/?token=${server.token}`);
    const other = await startBridge();
    expect(other.server.token).not.toBe(server.token);
  });

  it('answers commands over the socket with the page’s own origin and the token', async () => {
    const { server, socketUrl, origin } = await startBridge();
    const socket = await openBridgeSocket(socketUrl(), origin);
    const frame = await awaitReply(socket, 7, () =>
      socket.send(JSON.stringify({ kind: 'invoke', id: 7, channel: 'app:info', payload: {} })),
    );
    expect(frame).toMatchObject({ kind: 'reply', id: 7, reply: { ok: true, value: { version: '9.8.7' } } });
    expect(server.connectionCount()).toBe(1);
    socket.close();
  });

  it('refuses a socket without the token', async () => {
    const { server, origin } = await startBridge();
    await expect(openBridgeSocket(`ws://127.0.0.1:${server.port}/bridge`, origin)).rejects.toThrow('HTTP 401');
  });

  it('refuses a socket with a wrong token', async () => {
    const { socketUrl, origin, server } = await startBridge();
    await expect(openBridgeSocket(socketUrl('0'.repeat(48)), origin)).rejects.toThrow('HTTP 401');
    await expect(openBridgeSocket(socketUrl(server.token.slice(0, -1)), origin)).rejects.toThrow('HTTP 401');
  });

  it('takes the token as a subprotocol (kept out of the socket URL), from 127.0.0.1 or localhost pages', async () => {
    const { server } = await startBridge();
    const plain = `ws://127.0.0.1:${server.port}/bridge`;
    const withToken = (token: string) => ['cockpit-bridge', `cockpit-token.${token}`];
    for (const origin of [server.origin, `http://localhost:${server.port}`]) {
      const socket = await openBridgeSocket(plain, { Origin: origin }, withToken(server.token));
      expect(socket.protocol).toBe('cockpit-bridge');
      socket.close();
    }
    await expect(openBridgeSocket(plain, { Origin: server.origin }, withToken('0'.repeat(48)))).rejects.toThrow(
      'HTTP 401',
    );
  });

  it('refuses a socket from a foreign origin, or with no origin', async () => {
    const { socketUrl, server } = await startBridge();
    await expect(openBridgeSocket(socketUrl(), { Origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(
      openBridgeSocket(socketUrl(), { Origin: `http://localhost:${server.port}.evil.example` }),
    ).rejects.toThrow('HTTP 403');
    await expect(openBridgeSocket(socketUrl(), {})).rejects.toThrow('HTTP 403');
    expect(server.connectionCount()).toBe(0);
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { socketUrl, origin, server } = await startBridge();
    await expect(openBridgeSocket(socketUrl(), { ...origin, Host: 'evil.example' })).rejects.toThrow('HTTP 421');
    const page = await httpGet(server.url, { Host: `evil.example:${server.port}` });
    expect(page.status).toBe(421);
  });

  it('serves the page only with the token, under the app’s CSP', async () => {
    const { server } = await startBridge();
    const withToken = await httpGet(server.url);
    expect(withToken.status).toBe(200);
    expect(withToken.body).toContain('bridge page');
    expect(withToken.headers['content-security-policy']).toContain("script-src 'self';");
    expect(withToken.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect((await httpGet(`${server.origin}/`)).status).toBe(403);
    expect((await httpGet(`${server.origin}/?token=nope`)).status).toBe(403);
  });

  it('survives any request line or upgrade path a web page or a client can send, and still answers', async () => {
    const { server } = await startBridge();
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    const upgrade = `${host}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: ${server.origin}\r\n`;
    const targets = [
      '//',
      '///',
      '//evil.example/bridge',
      '/\\',
      '*',
      'http://evil.example/',
      '%zz',
      '/%zz',
      '/%00',
      '/bridge/../bridge',
      '',
      '/?token=%ff',
      '/bridge?token=%zz',
      '//bridge',
    ];
    const exchanges = [
      ...targets.flatMap((target) => [
        `GET ${target} HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
        `GET ${target} HTTP/1.1\r\n${upgrade}\r\n`,
      ]),
      'GARBAGE\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: \u0000\r\n\r\n`,
      `GET / HTTP/9.9\r\n${host}\r\n`,
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n${host}\r\n`,
      `GET /bridge HTTP/1.1\r\n${host}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    ];
    for (const bytes of exchanges) {
      const answer = await rawExchange(server.port, bytes);
      expect(answer, JSON.stringify(bytes.slice(0, 80))).not.toMatch(/^HTTP\/1\.1 (101|200)/);
    }
    expect((await httpGet(server.url)).status).toBe(200);
  });

  it('asks for the token whatever the spelling of the page’s path', async () => {
    const { server } = await startBridge();
    for (const spelling of [
      '/web%2ehtml',
      '/web.html/',
      '/%77eb.html',
      '/./web.html',
      '//web.html',
      '/assets/../web.html',
    ]) {
      const response = await httpGet(`${server.origin}${spelling}`);
      expect(response.status, spelling).not.toBe(200);
      expect(response.body).not.toContain('bridge page');
      expect((await httpGet(`${server.origin}${spelling}?token=${server.token}`)).status).not.toBe(500);
    }
    expect((await httpGet(`${server.origin}/%77eb.html?token=${server.token}`)).body).toContain('bridge page');
  });

  it('serves built assets and never a file outside the renderer folder', async () => {
    const { server } = await startBridge();
    expect((await httpGet(`${server.origin}/assets/app.js`)).status).toBe(200);
    for (const attempt of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/%2e%2e%2f%2e%2e%2foutside.txt',
      '/..%5coutside.txt',
    ]) {
      const response = await httpGet(`${server.origin}${attempt}`);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain('OUTSIDE');
    }
  });

  it('answers malformed frames with a typed error and keeps serving', async () => {
    const { socketUrl, origin } = await startBridge();
    const socket = await openBridgeSocket(socketUrl(), origin);
    const malformed = await awaitReply(socket, 3, () => socket.send(JSON.stringify({ kind: 'invoke', id: 3 })));
    expect(malformed).toMatchObject({ reply: { ok: false, error: { code: 'TRANSPORT' } } });
    socket.send('not json at all');
    socket.send(Buffer.from([0xff, 0x00]));
    const badPayload = await awaitReply(socket, 4, () =>
      socket.send('{"kind":"invoke","id":4,"channel":"app:info","payload":{"__proto__":{"polluted":1}}}'),
    );
    expect(badPayload).toMatchObject({ reply: { ok: false, error: { code: 'BAD_INPUT' } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const unknown = await awaitReply(socket, 5, () =>
      socket.send(JSON.stringify({ kind: 'invoke', id: 5, channel: 'shell:exec', payload: {} })),
    );
    expect(unknown).toMatchObject({ reply: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } });
    socket.close();
  });

  it('pushes core events to every connected page', async () => {
    const { cockpit, socketUrl, origin } = await startBridge();
    const first = await openBridgeSocket(socketUrl(), origin);
    const second = await openBridgeSocket(socketUrl(), origin);
    const [firstEvents, secondEvents] = [collectEvents(first), collectEvents(second)];
    cockpit.events.emit('app:heartbeat', { sequence: 5, sentAt: new Date(0).toISOString() });
    await expect.poll(() => firstEvents.length + secondEvents.length).toBe(2);
    expect(firstEvents[0]).toEqual({
      channel: 'app:heartbeat',
      payload: { sequence: 5, sentAt: '1970-01-01T00:00:00.000Z' },
    });
    first.close();
    second.close();
  });
});
