import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tlsGates, tlsVerdict } from '../../../../src/main/core/policy/tls-gate';

/** A self-signed certificate for 127.0.0.1, valid for `days`, made by openssl. */
function certificate(days: number, name = '127.0.0.1') {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(folder, 'key.pem'),
      '-out',
      path.join(folder, 'cert.pem'),
      '-days',
      String(days),
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=IP:${name}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(path.join(folder, 'key.pem')), cert: readFileSync(path.join(folder, 'cert.pem')) };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function httpsServer(credentials: { key: Buffer; cert: Buffer }): Promise<string> {
  const server = createServer(credentials, (_request, response) => response.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the TLS gate (real TLS handshakes on loopback)', () => {
  it('passes a trusted certificate with time left, warns within two weeks of expiry', async () => {
    const longLived = certificate(60);
    const expiring = certificate(5);
    const now = new Date();
    const [pass] = await tlsGates('production', [await httpsServer(longLived)], now, { ca: longLived.cert });
    expect(pass).toMatchObject({ id: 'tls:production', verdict: 'pass' });
    expect(pass!.evidence).toMatch(/^1 certificates trusted; the first expires in (59|60) days$/);
    const [warn] = await tlsGates('production', [await httpsServer(expiring)], now, { ca: expiring.cert });
    expect(warn).toMatchObject({ verdict: 'warn', evidence: expect.stringMatching(/: expires in [45] days$/) });
  });

  it('blocks a certificate the system does not trust, and says unknown for an endpoint it cannot reach', async () => {
    const [untrusted] = await tlsGates('production', [await httpsServer(certificate(60))], new Date());
    expect(untrusted).toMatchObject({ verdict: 'block', evidence: expect.stringContaining('not trusted (') });
    const [unreachable] = await tlsGates('production', ['https://127.0.0.1:9/'], new Date(), { timeoutMs: 1_000 });
    expect(unreachable).toMatchObject({ verdict: 'unknown' });
  });

  it('blocks an expired certificate, and warns about plain HTTP off this machine', async () => {
    expect(
      tlsVerdict(
        'production',
        [{ host: 'api.example.com', isTrusted: true, validTo: new Date('2026-01-01') }],
        new Date('2026-02-01'),
      ),
    ).toMatchObject({ verdict: 'block', evidence: 'api.example.com: expired 31 days ago' });
    const gates = await tlsGates('production', ['http://api.example.com', 'http://127.0.0.1:8080'], new Date());
    expect(gates).toEqual([
      {
        id: 'plain-http:production',
        title: 'Plain HTTP in production',
        verdict: 'warn',
        evidence: 'served without TLS: api.example.com',
      },
    ]);
  });
});
