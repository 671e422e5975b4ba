/**
 * What each service's health endpoint in an environment answers now (one sweep of the prober).
 */
import type { Platform } from '../platform/schema';
import { cellKey, healthUrl } from './matrix-model';
import type { HealthProber, ProbeResult } from './prober';

/** What each service's health endpoint in the environment answers now. */
export async function currentHealth(
  platform: Platform,
  environment: string,
  prober: HealthProber,
  ids: string[],
): Promise<Map<string, ProbeResult | undefined>> {
  const targets = platform.services
    .filter((service) => ids.includes(service.id) && service.environments[environment])
    .map((service) => {
      const config = service.environments[environment]!;
      return {
        key: cellKey(service.id, environment),
        url: healthUrl(config.url, config.healthPath),
        service: service.id,
      };
    });
  const results = await prober.sweep(targets);
  return new Map(targets.map((target) => [target.service, results.get(target.key)]));
}
