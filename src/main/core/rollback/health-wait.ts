/**
 * Polling one service's health until it says what a rollback step waits for (down after a stop,
 * up after a start), or a deadline passes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { currentHealth } from '../health/current-health';
import type { HealthProber, ProbeResult } from '../health/prober';
import type { Platform } from '../platform/schema';

export interface HealthWait {
  platform: Platform;
  environment: string;
  prober: HealthProber;
  service: string;
  timeoutMs: number;
  intervalMs?: number;
}

/** The last probe result, and whether it satisfied `isReached` before the deadline. */
export async function waitForHealth(
  wait: HealthWait,
  isReached: (result: ProbeResult | undefined) => boolean,
): Promise<{ isReached: boolean; last: ProbeResult | undefined }> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const last = (await currentHealth(wait.platform, wait.environment, wait.prober, [wait.service])).get(wait.service);
    if (isReached(last)) return { isReached: true, last };
    if (Date.now() + (wait.intervalMs ?? 250) > deadline) return { isReached: false, last };
    await sleep(wait.intervalMs ?? 250);
  }
}
