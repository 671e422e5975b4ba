/**
 * The post-deploy watch (R21): for a while after a production deploy (24 h by default), each
 * service's latency p95 and error rate from Prometheus are compared with the same figures at the
 * moment the deploy began (Prometheus keeps the samples, so the baseline is a query at that time);
 * more than 2× the latency or 5× the error rate raises an alert that offers the rollback wizard.
 * Active watches are kept on disk, so a restart goes on watching.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file';
import type { EventBus } from '../event-bus';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import { errorRateQuery, latencyQuery, queryByService } from './prometheus-gates';

export const latencyAlertFactor = 2;
export const errorAlertFactor = 5;
/** Below these, a baseline is taken as this much: from 0 errors any error would be "infinitely" worse. */
const latencyFloorSeconds = 0.05;
const errorRateFloor = 0.002;

export interface WatchAlert {
  service: string;
  metric: 'latency' | 'errors';
  baseline: number;
  current: number;
  /** current ÷ baseline (with the floor). */
  factor: number;
  message: string;
}

export interface WatchReading {
  checkedAt: string;
  alerts: WatchAlert[];
  /** Why the figures could not be read (Prometheus down, no samples). */
  problem?: string;
}

/** Pure: the alerts of the current figures against the baseline. */
export function compareWithBaseline(
  baseline: { latency: Map<string, number>; errors: Map<string, number> },
  current: { latency: Map<string, number>; errors: Map<string, number> },
): WatchAlert[] {
  const alerts: WatchAlert[] = [];
  const check = (metric: 'latency' | 'errors', limit: number, floor: number, format: (value: number) => string) => {
    for (const [service, now] of current[metric]) {
      const before = Math.max(baseline[metric].get(service) ?? 0, floor);
      const factor = now / before;
      if (factor > limit)
        alerts.push({
          service,
          metric,
          baseline: baseline[metric].get(service) ?? 0,
          current: now,
          factor: Math.round(factor * 10) / 10,
          message: `${service}: ${metric === 'latency' ? 'latency p95' : 'error rate'} ${format(now)}, ${Math.round(factor * 10) / 10}× the ${format(baseline[metric].get(service) ?? 0)} before the deploy (alert above ${limit}×)`,
        });
    }
  };
  check('latency', latencyAlertFactor, latencyFloorSeconds, (seconds) => `${Math.round(seconds * 1000)} ms`);
  check('errors', errorAlertFactor, errorRateFloor, (ratio) => `${(ratio * 100).toFixed(2)} %`);
  return alerts;
}

export interface WatchQuery {
  prometheusUrl: string;
  environment: string;
  /** When the deploy began: the baseline. */
  baselineAt: Date;
  /** The moment read (now by default). */
  at?: Date;
  window?: string;
  isHostAllowed?: (hostname: string) => boolean;
}

/** One reading: the figures now (or `at`) against those when the deploy began. */
export async function readWatch(query: WatchQuery): Promise<WatchReading> {
  const window = query.window ?? '5m';
  const at = query.at ?? new Date();
  const read = async (moment: Date) => {
    const [latency, errors] = await Promise.all([
      queryByService(query, latencyQuery(query.environment, window), moment),
      queryByService(query, errorRateQuery(query.environment, window), moment),
    ]);
    return { latency, errors };
  };
  try {
    const [baseline, current] = await Promise.all([read(query.baselineAt), read(at)]);
    if (current.latency.size === 0)
      return { checkedAt: at.toISOString(), alerts: [], problem: `Prometheus has no samples over the last ${window}` };
    return { checkedAt: at.toISOString(), alerts: compareWithBaseline(baseline, current) };
  } catch (error) {
    return {
      checkedAt: at.toISOString(),
      alerts: [],
      problem: `Prometheus could not be asked: ${(error as Error).message}`,
    };
  }
}

export interface Watch {
  runId: string;
  environment: string;
  startedAt: string;
  until: string;
  last?: WatchReading;
}

export interface PostDeployWatchOptions {
  platform: Platform;
  dataDir: string;
  events: EventBus;
  audit: AuditTrail;
  clock?: () => Date;
  isHostAllowed?: (hostname: string) => boolean;
  /** How often each watch reads Prometheus. */
  intervalMs?: number;
  /** The range rates are computed over. */
  window?: string;
}

/** The watches of a platform: started after each production deploy, read on a timer, kept on disk. */
export class PostDeployWatch {
  private watches: Watch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string;
  private readonly loaded: Promise<void>;

  constructor(private readonly options: PostDeployWatchOptions) {
    this.file = path.join(options.dataDir, 'watches', `${options.platform.id}.json`);
    this.loaded = readFile(this.file, 'utf8').then(
      (text) => void (this.watches = JSON.parse(text) as Watch[]),
      () => undefined,
    );
  }

  /** Watches the environment from the deploy's start for the platform's watch period. */
  async watch(runId: string, environment: string, startedAt: Date): Promise<void> {
    await this.loaded;
    if (!this.options.platform.metrics.prometheusUrl) return;
    const hours = this.options.platform.metrics.watchHours;
    this.watches = [
      ...this.watches.filter((watch) => watch.environment !== environment),
      {
        runId,
        environment,
        startedAt: startedAt.toISOString(),
        until: new Date(startedAt.getTime() + hours * 3_600_000).toISOString(),
      },
    ];
    await this.save();
    this.announce();
  }

  start(): void {
    if (this.timer || !this.options.platform.metrics.prometheusUrl) return;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 60_000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async list(): Promise<Watch[]> {
    await this.loaded;
    return this.watches;
  }

  /** Reads every active watch once; ended ones are dropped; new alerts are recorded and announced. */
  async check(): Promise<Watch[]> {
    await this.loaded;
    const prometheusUrl = this.options.platform.metrics.prometheusUrl;
    if (!prometheusUrl) return [];
    const now = (this.options.clock ?? (() => new Date()))();
    this.watches = this.watches.filter((watch) => Date.parse(watch.until) > now.getTime());
    for (const watch of this.watches) {
      const reading = await readWatch({
        prometheusUrl,
        environment: watch.environment,
        baselineAt: new Date(watch.startedAt),
        at: now,
        window: this.options.window,
        isHostAllowed: this.options.isHostAllowed,
      });
      const known = new Set((watch.last?.alerts ?? []).map((alert) => `${alert.service}/${alert.metric}`));
      const fresh = reading.alerts.filter((alert) => !known.has(`${alert.service}/${alert.metric}`));
      watch.last = reading;
      if (fresh.length > 0) {
        await this.options.audit.record([
          {
            action: 'watch.alert',
            status: 'info',
            correlationId: watch.runId,
            environment: watch.environment,
            services: fresh.map((alert) => alert.service),
            summary: `After the deploy to ${watch.environment}: ${fresh.map((alert) => alert.message).join('; ')}`,
            details: { alerts: fresh },
          },
        ]);
        this.options.events.emit('watch:alerted', {
          runId: watch.runId,
          environment: watch.environment,
          alerts: fresh,
        });
      }
    }
    await this.save();
    this.announce();
    return this.watches;
  }

  private announce(): void {
    this.options.events.emit('watch:changed', { watches: this.watches });
  }

  private save(): Promise<void> {
    return writeFileAtomic(this.file, `${JSON.stringify(this.watches, null, 2)}\n`);
  }
}
