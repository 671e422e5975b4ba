/**
 * Waits for a step's service to report its target version healthy: polled fast at first, then
 * less and less often, until a deadline (no fixed sleep).
 */
import type { HealthProber } from '../health/prober';

/** The first wait between health checks of a step; it grows ×1.5 up to `pollIntervalMs`. */
const firstPollMs = 50;

export async function waitForVersion(
  prober: HealthProber,
  key: string,
  url: string,
  version: string,
  timeoutMs: number,
  pollIntervalMs: number,
  signal?: AbortSignal,
  onTick?: (secondsLeft: number) => void,
): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + timeoutMs;
  let lastTick = Number.POSITIVE_INFINITY;
  // A service often turns healthy within a second: look early, then less and less often.
  let wait = Math.min(pollIntervalMs, firstPollMs);
  for (;;) {
    const secondsLeft = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (onTick && secondsLeft < lastTick && (lastTick - secondsLeft >= 5 || lastTick === Number.POSITIVE_INFINITY)) {
      lastTick = secondsLeft;
      onTick(secondsLeft);
    }
    const result = await prober.probe({ key, url });
    if (result.status === 'up' && result.version === version) return { ok: true, detail: 'healthy' };
    const last = `${result.status}${result.version ? ` on v${result.version}` : ''}${result.error ? ` (${result.error})` : ''}`;
    if (Date.now() + wait > deadline || signal?.aborted) {
      return {
        ok: false,
        detail: `did not report v${version} healthy within ${Math.round(timeoutMs / 1000)} s (last: ${last})`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(pollIntervalMs, wait * 1.5);
  }
}
