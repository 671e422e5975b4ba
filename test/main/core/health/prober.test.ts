import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthProber, isLoopbackHost, maxPayloadChars } from '../../../../src/main/core/health/prober';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { startProbeServer, type ProbeServer } from './probe-servers';

const servers: ProbeServer[] = [];
const probers: HealthProber[] = [];

async function server(...args: Parameters<typeof startProbeServer>) {
  const started = await startProbeServer(...args);
  servers.push(started);
  return started;
}

function prober(timeoutMs = 400) {
  const created = new HealthProber({ timeoutMs, isHostAllowed: isLoopbackHost });
  probers.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(probers.splice(0).map((created) => created.close()));
  await Promise.all(servers.splice(0).map((started) => started.close()));
});

describe('a health probe', () => {
  it('reads status, version, commit, HTTP code and latency from a healthy service', async () => {
    const healthy = await server('2.1.0');
    const result = await prober().probe({ key: 'a', url: `${healthy.url}/api/v1/health` });
    expect(result).toMatchObject({ status: 'up', httpStatus: 200, version: '2.1.0', commit: 'abc1234' });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('keeps what the endpoint answered, indented, with known secrets hidden and cut to its limit', async () => {
    const healthy = await server('2.1.0');
    const answered = await prober().probe({ key: 'a', url: healthy.url });
    expect(answered.payload).toBe(JSON.stringify({ status: 'ok', version: '2.1.0', commit: 'abc1234' }, null, 2));

    const token = 'sk_live_health_payload_secret_42';
    const body = JSON.stringify({ status: 'ok', dsn: `postgres://app:${token}@db/app`, filler: 'x'.repeat(10_000) });
    const leaky = createServer((_request, response) => response.end(body));
    await new Promise<void>((resolve) => leaky.listen(0, '127.0.0.1', resolve));
    try {
      const redactor = new Redactor();
      redactor.add(token);
      const redacting = new HealthProber({
        timeoutMs: 2_000,
        isHostAllowed: isLoopbackHost,
        redact: (text) => redactor.redact(text),
      });
      probers.push(redacting);
      const url = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}/health`;
      const result = await redacting.probe({ key: 'b', url });
      expect(result.status).toBe('up');
      expect(result.payload).not.toContain(token);
      expect(result.payload).toContain('"dsn"');
      expect(result.payload!.length).toBe(maxPayloadChars + 1);
      expect(result.payload!.endsWith('…')).toBe(true);
    } finally {
      await new Promise((resolve) => leaky.close(resolve));
    }
  });

  it.each([
    ['error-500', { status: 'down', httpStatus: 500, error: 'HTTP 500, reports "error"' }],
    ['degraded', { status: 'degraded', httpStatus: 200 }],
    ['close-socket', { status: 'unreachable', error: 'the connection closed before an answer' }],
    ['hang', { status: 'unreachable', error: 'no answer within 400 ms' }],
  ] as const)('classifies a service that answers %s', async (behaviour, expected) => {
    const target = await server('1.0.0', behaviour);
    expect(await prober().probe({ key: 'a', url: target.url })).toMatchObject(expected);
  });

  it('reports a refused connection as unreachable', async () => {
    const gone = await server();
    await gone.close();
    expect(await prober().probe({ key: 'a', url: gone.url })).toMatchObject({
      status: 'unreachable',
      error: 'connection refused (nothing listens there)',
    });
  });

  it('does not contact hosts outside the allowed ones', async () => {
    expect(await prober().probe({ key: 'a', url: 'https://example.com/health' })).toMatchObject({
      status: 'unreachable',
      error: 'not probed: this host is outside the allowed hosts',
    });
  });

  it('ends a sweep within the deadline however many endpoints hang, answering the healthy ones', async () => {
    const healthy = await Promise.all(Array.from({ length: 10 }, () => server()));
    const hanging = await Promise.all(Array.from({ length: 10 }, () => server('1.0.0', 'hang')));
    const targets = [...healthy, ...hanging].map((target, index) => ({ key: String(index), url: target.url }));
    const began = performance.now();
    const results = await prober(500).sweep(targets);
    // The deadline bounds the sweep: 20 endpoints, half hanging, still one timeout long (not ten).
    expect(performance.now() - began).toBeLessThan(2_500);
    expect([...results.values()].filter((result) => result.status === 'up')).toHaveLength(10);
    expect([...results.values()].filter((result) => result.status === 'unreachable')).toHaveLength(10);
  });

  it('reuses connections (keep-alive) across probes of one origin', async () => {
    const healthy = await server();
    const reused = prober();
    for (let index = 0; index < 10; index++) await reused.probe({ key: 'a', url: healthy.url });
    expect(healthy.requests).toBe(10);
    // A cold TCP connection per probe would make 10; the pool keeps them (one may open while
    // the previous is being released).
    expect(healthy.connections).toBeLessThanOrEqual(2);
  });
});
