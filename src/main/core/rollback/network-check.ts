/**
 * Whether the hosts a rollback step talks to can be reached: a TCP connection that opens, or is
 * refused, means the network is there (a refused connection is a stopped service, not an outage);
 * a timeout or a routing / name error means it is not. Local commands and paths need nothing.
 */
import { connect } from 'node:net';
import type { Platform } from '../platform/schema';

export type ReachabilityCheck = (url: string) => Promise<boolean>;

export const isHostReachable: ReachabilityCheck = (url) => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(true); // a local path: nothing to reach
  }
  if (!['http:', 'https:', 'ssh:'].includes(target.protocol)) return Promise.resolve(true);
  const port = Number(target.port) || { 'http:': 80, 'https:': 443, 'ssh:': 22 }[target.protocol]!;
  return new Promise((resolve) => {
    const socket = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port, timeout: 2_000 });
    const done = (isReachable: boolean) => {
      socket.destroy();
      resolve(isReachable);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
};

/** The hosts that are not reachable now, among `urls` (each checked once). */
export async function unreachable(urls: string[], check: ReachabilityCheck = isHostReachable): Promise<string[]> {
  const unique = [...new Set(urls)];
  const results = await Promise.all(unique.map(async (url) => ({ url, isReachable: await check(url) })));
  return results.filter((result) => !result.isReachable).map((result) => new URL(result.url).host);
}

/** The service URLs and provider endpoints a run talks to. */
export function networkTargets(platform: Platform, environment: string, affected: string[]): string[] {
  return affected.flatMap((id) => {
    const config = platform.services.find((candidate) => candidate.id === id)?.environments[environment];
    if (!config) return [];
    const provider =
      config.deploy.provider === 'coolify'
        ? [config.deploy.apiUrl]
        : config.deploy.provider === 'webhook'
          ? [config.deploy.url]
          : [];
    return [config.url, ...provider];
  });
}
