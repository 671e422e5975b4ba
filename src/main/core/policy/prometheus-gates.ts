/**
 * Warning gates from Prometheus (R11): the environment's API latency (p95) and error rate over a
 * recent window, through Prometheus's HTTP API (`GET /api/v1/query`), against the platform's
 * thresholds (backend p95 > 500 ms, frontend p95 > 3 s, errors > 0.5 %, CPU > 80 % of a core warn).
 * Metrics as the services expose them: `http_request_duration_seconds` (histogram),
 * `http_request_errors_total` and `process_cpu_seconds_total`, labelled `service` and `environment`. A Prometheus that cannot be
 * reached, or has no samples, gives "unknown".
 */
import { request } from 'undici';
import { z } from 'zod';
import type { Platform } from '../platform/schema';
import type { GateResult } from './gates';

const QueryAnswer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.literal('vector'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
    }),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

export interface PrometheusGateOptions {
  platform: Platform;
  environment: string;
  prometheusUrl: string;
  /** The range the rates are computed over, e.g. "5m". */
  window?: string;
  timeoutMs?: number;
  isHostAllowed?: (hostname: string) => boolean;
}

/** One instant query (now, or `at`): service → value. Throws with a readable reason when Prometheus cannot answer. */
export async function queryByService(
  options: Omit<PrometheusGateOptions, 'platform' | 'environment'>,
  query: string,
  at?: Date,
): Promise<Map<string, number>> {
  const url = new URL('/api/v1/query', options.prometheusUrl);
  url.searchParams.set('query', query);
  // Evaluated at that moment (Prometheus keeps the samples): a baseline needs no capture beforehand.
  if (at) url.searchParams.set('time', String(at.getTime() / 1000));
  if (options.isHostAllowed && !options.isHostAllowed(url.hostname))
    throw new Error(`${url.hostname} is outside the hosts the cockpit may reach`);
  const response = await request(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000) });
  const parsed = QueryAnswer.safeParse(await response.body.json().catch(() => undefined));
  if (!parsed.success) throw new Error(`Prometheus answered ${response.statusCode} with an unexpected body`);
  if (parsed.data.status === 'error') throw new Error(`Prometheus: ${parsed.data.errorType}: ${parsed.data.error}`);
  return new Map(
    parsed.data.data.result
      .filter((sample) => sample.metric.service && Number.isFinite(Number(sample.value[1])))
      .map((sample) => [sample.metric.service!, Number(sample.value[1])]),
  );
}

export async function prometheusGates(options: PrometheusGateOptions): Promise<GateResult[]> {
  const { platform, environment } = options;
  const window = options.window ?? '5m';
  const selector = `environment="${environment}"`;
  const thresholds = platform.policy.gates;
  const kindOf = new Map(platform.services.map((service) => [service.id, service.kind]));
  const gate = async (
    id: string,
    title: string,
    query: string,
    limitOf: (service: string) => number,
    format: (value: number) => string,
  ): Promise<GateResult> => {
    try {
      const values = await queryByService(options, query);
      if (values.size === 0)
        return { id, title, verdict: 'unknown', evidence: `Prometheus has no samples over the last ${window}` };
      const over = [...values].filter(([service, value]) => value > limitOf(service));
      if (over.length > 0)
        return {
          id,
          title,
          verdict: 'warn',
          evidence: over
            .map(([service, value]) => `${service} ${format(value)} > ${format(limitOf(service))}`)
            .join(', '),
        };
      const [worstService, worst] = [...values].reduce((a, b) => (b[1] / limitOf(b[0]) > a[1] / limitOf(a[0]) ? b : a));
      return {
        id,
        title,
        verdict: 'pass',
        evidence: `highest: ${worstService} ${format(worst)} (${values.size} services)`,
      };
    } catch (error) {
      return { id, title, verdict: 'unknown', evidence: `Prometheus could not be asked: ${(error as Error).message}` };
    }
  };
  return Promise.all([
    gate(
      `latency:${environment}`,
      `Latency p95 of ${environment}`,
      latencyQuery(environment, window),
      (service) =>
        (kindOf.get(service) === 'frontend' ? thresholds.frontendLoadWarnMs : thresholds.apiLatencyWarnMs) / 1000,
      (seconds) => `${Math.round(seconds * 1000)} ms`,
    ),
    gate(
      `errors:${environment}`,
      `Error rate of ${environment}`,
      errorRateQuery(environment, window),
      () => thresholds.errorRateWarnPercent / 100,
      (ratio) => `${(ratio * 100).toFixed(2)} %`,
    ),
    gate(
      `resources:${environment}`,
      `CPU use of ${environment}`,
      `max by (service) (rate(process_cpu_seconds_total{${selector}}[${window}]))`,
      () => thresholds.resourceWarnPercent / 100,
      (ratio) => `${Math.round(ratio * 100)} % of a core`,
    ),
  ]);
}

/** The p95 latency of each service of an environment over `window`, in seconds. */
export function latencyQuery(environment: string, window: string): string {
  return `histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{environment="${environment}"}[${window}])))`;
}

/** The share of each service's requests that failed over `window`. */
export function errorRateQuery(environment: string, window: string): string {
  const selector = `environment="${environment}"`;
  return `sum by (service) (rate(http_request_errors_total{${selector}}[${window}])) / sum by (service) (rate(http_request_duration_seconds_count{${selector}}[${window}]))`;
}
