/**
 * The TLS part of the pre-deploy security checklist (R24): each https URL of the environment
 * presents a certificate the system trusts for that name, not expiring within two weeks. A plain
 * http URL off this machine warns; one that cannot be reached is unknown.
 */
import net from 'node:net';
import tls from 'node:tls';
import { isLoopbackHost } from '../health/prober';
import type { GateResult } from './gates';

export interface TlsProbe {
  host: string;
  isTrusted: boolean;
  /** Why the system does not trust it (e.g. self-signed certificate). */
  trustProblem?: string;
  validTo: Date;
}

const warnDays = 14;

/** Reads the certificate an https endpoint presents. */
export function probeTls(url: URL, options: { timeoutMs?: number; ca?: string | Buffer } = {}): Promise<TlsProbe> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: url.hostname,
      port: Number(url.port || 443),
      // SNI takes names only, never an IP address.
      ...(net.isIP(url.hostname) ? {} : { servername: url.hostname }),
      rejectUnauthorized: false,
      ca: options.ca,
      timeout: options.timeoutMs ?? 5_000,
    });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      // The chain may be trusted and still name another host.
      const nameProblem = socket.authorized ? tls.checkServerIdentity(url.hostname, certificate) : undefined;
      resolve({
        host: url.host,
        isTrusted: socket.authorized && !nameProblem,
        trustProblem: socket.authorizationError
          ? String(socket.authorizationError)
          : nameProblem
            ? `the certificate does not name ${url.hostname}`
            : undefined,
        validTo: new Date(certificate.valid_to),
      });
      socket.end();
    });
    socket.once('timeout', () => socket.destroy(new Error(`no TLS answer within ${options.timeoutMs ?? 5_000} ms`)));
    socket.once('error', reject);
  });
}

/** Pure: the verdict on what the endpoints presented (or why they could not be read). */
export function tlsVerdict(
  environment: string,
  probes: (TlsProbe | { host: string; error: string })[],
  now: Date,
): GateResult {
  const base = { id: `tls:${environment}`, title: `TLS certificates of ${environment}` };
  if (probes.length === 0) return { ...base, verdict: 'unknown', evidence: 'no https URL to check' };
  const problems: string[] = [];
  const warnings: string[] = [];
  let unknown = 0;
  let soonest = Infinity;
  for (const probe of probes) {
    if ('error' in probe) {
      unknown++;
      warnings.push(`${probe.host}: ${probe.error}`);
      continue;
    }
    const days = Math.floor((probe.validTo.getTime() - now.getTime()) / 86_400_000);
    soonest = Math.min(soonest, days);
    if (!probe.isTrusted) problems.push(`${probe.host}: not trusted (${probe.trustProblem ?? 'unknown reason'})`);
    else if (days < 0) problems.push(`${probe.host}: expired ${-days} days ago`);
    else if (days < warnDays) warnings.push(`${probe.host}: expires in ${days} days`);
  }
  if (problems.length > 0) return { ...base, verdict: 'block', evidence: [...problems, ...warnings].join('; ') };
  if (unknown === probes.length) return { ...base, verdict: 'unknown', evidence: warnings.join('; ') };
  if (warnings.length > 0) return { ...base, verdict: 'warn', evidence: warnings.join('; ') };
  return {
    ...base,
    verdict: 'pass',
    evidence: `${probes.length} certificates trusted; the first expires in ${soonest} days`,
  };
}

/** Checks every https URL among `urls`; plain http off this machine becomes a warning of its own. */
export async function tlsGates(
  environment: string,
  urls: string[],
  now: Date,
  options: { timeoutMs?: number; ca?: string | Buffer; isHostAllowed?: (hostname: string) => boolean } = {},
): Promise<GateResult[]> {
  const parsed = [...new Set(urls)].map((url) => new URL(url));
  const isAllowed = (url: URL) => !options.isHostAllowed || options.isHostAllowed(url.hostname);
  const https = parsed.filter((url) => url.protocol === 'https:');
  const plain = parsed.filter((url) => url.protocol === 'http:' && !isLoopbackHost(url.hostname));
  const results: GateResult[] = [];
  if (https.length > 0) {
    const probes = await Promise.all(
      https.map((url) =>
        isAllowed(url)
          ? probeTls(url, options).catch((error: Error) => ({ host: url.host, error: error.message }))
          : { host: url.host, error: 'outside the hosts the cockpit may reach' },
      ),
    );
    results.push(tlsVerdict(environment, probes, now));
  }
  if (plain.length > 0)
    results.push({
      id: `plain-http:${environment}`,
      title: `Plain HTTP in ${environment}`,
      verdict: 'warn',
      evidence: `served without TLS: ${plain.map((url) => url.host).join(', ')}`,
    });
  return results;
}
