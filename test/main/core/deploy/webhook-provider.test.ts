import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookProvider } from '../../../../src/main/core/deploy/webhook-provider';
import { isLoopbackHost } from '../../../../src/main/core/health/prober';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

type Answer = 'accept' | 'refuse' | 'gateway' | 'drop';

/** A loopback webhook receiver that records what it received. */
async function receiver(answer: Answer) {
  const received: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body, url: request.url ?? '' });
      if (answer === 'drop') return request.socket.destroy();
      const status = answer === 'accept' ? 202 : answer === 'gateway' ? 504 : 403;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(answer === 'refuse' ? 'forbidden: unknown token' : 'queued');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/deploy?key=abc`, received };
}

async function deployWith(answer: Answer, token: string | null = 'hook-token-42') {
  const hook = await receiver(answer);
  const log: string[] = [];
  const refs: (string | undefined)[] = [];
  const provider = webhookProvider({
    config: { provider: 'webhook', url: hook.url, tokenCredential: 'hook-token' },
    token: async () => token ?? undefined,
    isHostAllowed: isLoopbackHost,
  });
  const outcome = await provider.deploy(
    { service: 'api', environment: 'staging', version: '1.2.3' },
    { log: (text) => log.push(text), signal: new AbortController().signal, onTriggered: (ref) => refs.push(ref) },
  );
  return { outcome, hook, log, refs };
}

describe('the webhook provider', () => {
  it('posts the step as JSON with the bearer token; an accepted hook leaves readiness to health', async () => {
    const { outcome, hook, log, refs } = await deployWith('accept');
    expect(outcome).toEqual({ ok: true, detail: 'the webhook accepted the deploy (HTTP 202)' });
    expect(hook.received).toHaveLength(1);
    expect(JSON.parse(hook.received[0]!.body)).toEqual({ service: 'api', environment: 'staging', version: '1.2.3' });
    expect(hook.received[0]!.headers.authorization).toBe('Bearer hook-token-42');
    expect(refs).toEqual(['http-202']);
    // The query may hold a key: it is never shown.
    expect(log.join('')).not.toContain('key=abc');
  });

  it('fails with the receiver’s answer when it refuses', async () => {
    const { outcome } = await deployWith('refuse');
    expect(outcome).toEqual({
      ok: false,
      detail: 'the webhook refused the deploy (HTTP 403: forbidden: unknown token)',
    });
  });

  it('never resends after a lost answer or a gateway error: health decides', async () => {
    for (const answer of ['drop', 'gateway'] as const) {
      const { outcome, hook, refs } = await deployWith(answer);
      expect(outcome.ok).toBe(true);
      expect(outcome.detail).toMatch(/health/);
      expect(hook.received).toHaveLength(1);
      expect(refs).toHaveLength(1);
    }
  });

  it('names the credential to set when the token is missing, and sends nothing', async () => {
    const { outcome, hook } = await deployWith('accept', null);
    expect(outcome).toEqual({
      ok: false,
      detail: 'no webhook token: store it as the credential "hook-token" (Settings → Credentials)',
    });
    expect(hook.received).toHaveLength(0);
  });
});
