/**
 * KPIs and DORA metrics from the ledger (R20), for one environment over a period. Pure: the
 * records, the period and the commit times of each release come in as data. The formulas:
 *
 * - a **deploy** is a `deploy.finished` record of the environment in the period, not made by a
 *   rollback (whose runs are named `rollback-…`); cancelled deploys are left out of the rates;
 * - **deployment success rate** = succeeded deploys ÷ (succeeded + failed deploys); target > 95 %;
 * - **deploy time** = a succeeded deploy's `deploy.finished` time − its first `deploy.started`
 *   time; mean (target < 10 min) and p95 (nearest rank);
 * - a **rollback** is a rollback run (`rollback.finished`) of the environment in the period that
 *   changed something and was walked to its end (an abandoned walk is an incident, not a rollback);
 * - **rollback frequency** = succeeded deploys one of whose services was rolled back after it (and
 *   before that service's next succeeded deploy) ÷ succeeded deploys — a share, never over 100 %;
 *   target < 5 %;
 * - **change failure rate** = deploys that failed, or one of whose services was rolled back after
 *   it and before that service's next succeeded deploy, ÷ (succeeded + failed deploys); target < 15 %;
 * - **MTTR** = mean duration of the succeeded rollbacks, from their first step to their last (the
 *   ledger knows when a rollback began, not when the incident did); target < 30 min;
 * - **deploy frequency** = succeeded deploys ÷ weeks in the period (a period under a week is
 *   pro-rated to a week, and says so);
 * - a KPI with a target is judged against it only over at least three cases (deploys, rollbacks):
 *   below that it says how few there were instead.
 * - **lead time for changes** = for every commit of a release that a succeeded deploy brought to the
 *   environment, the deploy's time − the commit's time; median and mean.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { judged, mean, measure, median, percentile, rate, round } from './kpi';

export interface MetricsPeriod {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface Kpi {
  id:
    | 'success-rate'
    | 'deploy-time'
    | 'deploy-time-p95'
    | 'rollback-frequency'
    | 'change-failure-rate'
    | 'mttr'
    | 'deploy-frequency'
    | 'lead-time';
  title: string;
  /** Undefined when there is nothing to compute it from. */
  value?: number;
  unit: '%' | 'min' | 'per week' | 'h';
  /** The manual's target, in words, and whether the value meets it (undefined: no target or no value). */
  target?: string;
  isMet?: boolean;
  /** How it was computed from what, in words. */
  detail: string;
  /** Why the value is not judged against its target (too few deploys or rollbacks to tell). */
  caveat?: string;
}

export { fewestToJudge } from './kpi';

export interface ServiceMetrics {
  service: string;
  deploys: number;
  succeeded: number;
  failed: number;
  successRate?: number;
  meanStepMinutes?: number;
  rollbacks: number;
}

export interface WeekMetrics {
  /** Monday 00:00 UTC of the week. */
  weekStart: string;
  deploys: number;
  succeeded: number;
  failed: number;
  rollbacks: number;
  meanDeployMinutes?: number;
}

export interface MetricsReport {
  environment: string;
  from: string;
  to: string;
  kpis: Kpi[];
  services: ServiceMetrics[];
  weeks: WeekMetrics[];
}

/** A release that reached the environment: for lead time, the times of its commits. */
export interface DeliveredRelease {
  service: string;
  version: string;
  deployedAt: Date;
}

export interface MetricsInput {
  records: LedgerRecord[];
  environment: string;
  period: MetricsPeriod;
  /** The commit times of each delivered release (from git); releases left out count for nothing. */
  commitTimes?: Map<string, Date[]>;
}

interface DeployRun {
  id: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  startedAt?: number;
  finishedAt: number;
  services: { service: string; version?: string; status: string }[];
}

interface RollbackRun {
  id: string;
  service: string;
  status: string;
  finishedAt: number;
  durationMs?: number;
}

const minute = 60_000;
const week = 7 * 24 * 60 * minute;

/** The key of a delivered release in `commitTimes`. */
export function releaseKey(service: string, version: string): string {
  return `${service}@${version}`;
}

/** The releases a succeeded deploy brought to the environment in the period (for the lead time's git reads). */
export function deliveredReleases(input: Omit<MetricsInput, 'commitTimes'>): DeliveredRelease[] {
  return deployRuns(input)
    .filter((run) => run.status === 'succeeded')
    .flatMap((run) =>
      run.services
        .filter((step) => step.status === 'succeeded' && step.version)
        .map((step) => ({ service: step.service, version: step.version!, deployedAt: new Date(run.finishedAt) })),
    );
}

export function computeMetrics(input: MetricsInput): MetricsReport {
  const runs = deployRuns(input);
  const rollbacks = rollbackRuns(input);
  const counted = runs.filter((run) => run.status !== 'cancelled');
  const succeeded = counted.filter((run) => run.status === 'succeeded');
  const durations = succeeded.flatMap((run) => (run.startedAt === undefined ? [] : [run.finishedAt - run.startedAt]));
  const recovered = rollbacks.filter(
    (rollback) => rollback.status === 'succeeded' && rollback.durationMs !== undefined,
  );
  const weeks = (input.period.to.getTime() - input.period.from.getTime()) / week;
  const causedFailure = counted.filter((run) => run.status === 'failed' || isRolledBack(run, rollbacks, succeeded));
  const rolledBack = succeeded.filter((run) => isRolledBack(run, rollbacks, succeeded));
  const leadTimes = leadTimesHours(succeeded, input.commitTimes);

  const kpis: Kpi[] = [
    rate(
      'success-rate',
      'Deployment success rate',
      succeeded.length,
      counted.length,
      { above: 95 },
      `${succeeded.length} of ${counted.length} deploys succeeded`,
    ),
    {
      ...measure('deploy-time', 'Mean deploy time', mean(durations), 'min', minute, { below: 10 }),
      detail: `over ${durations.length} succeeded deploys`,
    },
    {
      ...measure('deploy-time-p95', 'Deploy time, 95th percentile', percentile(durations, 95), 'min', minute),
      detail: `over ${durations.length} succeeded deploys`,
    },
    rate(
      'rollback-frequency',
      'Rollback frequency',
      rolledBack.length,
      succeeded.length,
      { below: 5 },
      `${rolledBack.length} of ${succeeded.length} succeeded deploys were rolled back (${rollbacks.length} rollback${rollbacks.length === 1 ? '' : 's'})`,
    ),
    rate(
      'change-failure-rate',
      'Change failure rate',
      causedFailure.length,
      counted.length,
      { below: 15 },
      `${causedFailure.length} of ${counted.length} deploys failed or were rolled back`,
    ),
    {
      ...measure(
        'mttr',
        'Mean time to restore',
        mean(recovered.map((rollback) => rollback.durationMs!)),
        'min',
        minute,
        { below: 30 },
      ),
      detail: `over ${recovered.length} succeeded rollbacks, from their first step to their last`,
    },
    {
      id: 'deploy-frequency',
      title: 'Deploy frequency',
      ...(weeks > 0 ? { value: round(succeeded.length / weeks) } : {}),
      unit: 'per week',
      detail:
        weeks < 1
          ? `${succeeded.length} succeeded deploys in ${round(weeks * 7)} days, pro-rated to a week`
          : `${succeeded.length} succeeded deploys in ${round(weeks)} weeks`,
    },
    {
      ...measure('lead-time', 'Lead time for changes (median)', median(leadTimes), 'h', 1),
      detail:
        leadTimes.length > 0
          ? `over ${leadTimes.length} commits; mean ${round(mean(leadTimes)!)} h`
          : 'no commit of a delivered release could be read',
    },
  ];
  const cases: Partial<Record<Kpi['id'], [number, string]>> = {
    'success-rate': [counted.length, 'deploy'],
    'deploy-time': [durations.length, 'succeeded deploy'],
    'rollback-frequency': [succeeded.length, 'succeeded deploy'],
    'change-failure-rate': [counted.length, 'deploy'],
    mttr: [recovered.length, 'succeeded rollback'],
  };
  return {
    environment: input.environment,
    from: input.period.from.toISOString(),
    to: input.period.to.toISOString(),
    kpis: kpis.map((kpi) => judged(kpi, cases[kpi.id])),
    services: serviceMetrics(input, rollbacks),
    weeks: weekMetrics(input.period, counted, rollbacks),
  };
}

function deployRuns(input: Omit<MetricsInput, 'commitTimes'>): DeployRun[] {
  const started = new Map<string, number>();
  for (const record of input.records)
    if (record.action === 'deploy.started' && record.correlationId && !started.has(record.correlationId))
      started.set(record.correlationId, Date.parse(record.time));
  return inPeriod(input, 'deploy.finished')
    .filter((record) => !record.correlationId?.startsWith('rollback-'))
    .map((record) => ({
      id: record.correlationId ?? record.id,
      status: record.status as DeployRun['status'],
      startedAt: record.correlationId ? started.get(record.correlationId) : undefined,
      finishedAt: Date.parse(record.time),
      services: ((record.details?.steps ?? []) as DeployRun['services']).filter((step) => step.status !== 'skipped'),
    }));
}

function rollbackRuns(input: Omit<MetricsInput, 'commitTimes'>): RollbackRun[] {
  return inPeriod(input, 'rollback.finished')
    .filter((record) => record.details?.changedSomething === true && record.status !== 'cancelled')
    .map((record) => ({
      id: record.correlationId ?? record.id,
      service: record.services?.[0] ?? '',
      status: record.status,
      finishedAt: Date.parse(record.time),
      durationMs: record.durationMs,
    }));
}

function inPeriod(input: Omit<MetricsInput, 'commitTimes'>, action: LedgerRecord['action']): LedgerRecord[] {
  const from = input.period.from.getTime();
  const to = input.period.to.getTime();
  return input.records.filter((record) => {
    const time = Date.parse(record.time);
    return record.action === action && record.environment === input.environment && time >= from && time < to;
  });
}

/** A service of the run was rolled back after it, before that service's next succeeded deploy. */
function isRolledBack(run: DeployRun, rollbacks: RollbackRun[], succeeded: DeployRun[]): boolean {
  return run.services.some(({ service }) => {
    const next = succeeded
      .filter((later) => later.finishedAt > run.finishedAt && later.services.some((step) => step.service === service))
      .map((later) => later.finishedAt)
      .sort((a, b) => a - b)[0];
    return rollbacks.some(
      (rollback) =>
        rollback.service === service &&
        rollback.finishedAt > run.finishedAt &&
        (next === undefined || rollback.finishedAt < next),
    );
  });
}

function leadTimesHours(succeeded: DeployRun[], commitTimes: Map<string, Date[]> | undefined): number[] {
  if (!commitTimes) return [];
  return succeeded.flatMap((run) =>
    run.services
      .filter((step) => step.status === 'succeeded' && step.version)
      .flatMap((step) => commitTimes.get(releaseKey(step.service, step.version!)) ?? [])
      .map((committedAt) => (run.finishedAt - committedAt.getTime()) / 3_600_000),
  );
}

function serviceMetrics(input: Omit<MetricsInput, 'commitTimes'>, rollbacks: RollbackRun[]): ServiceMetrics[] {
  const steps = inPeriod(input, 'deploy.step').filter((record) => !record.correlationId?.startsWith('rollback-'));
  const services = [...new Set(steps.flatMap((record) => record.services ?? []))].sort();
  return services.map((service) => {
    const own = steps.filter((record) => record.services?.includes(service));
    const succeeded = own.filter((record) => record.status === 'succeeded');
    const failed = own.filter((record) => record.status === 'failed').length;
    const durations = own.flatMap((record) => (record.durationMs === undefined ? [] : [record.durationMs]));
    const meanStep = mean(durations);
    return {
      service,
      deploys: succeeded.length + failed,
      succeeded: succeeded.length,
      failed,
      ...(succeeded.length + failed > 0
        ? { successRate: round((100 * succeeded.length) / (succeeded.length + failed)) }
        : {}),
      ...(meanStep !== undefined ? { meanStepMinutes: round(meanStep / minute) } : {}),
      rollbacks: rollbacks.filter((rollback) => rollback.service === service).length,
    };
  });
}

function weekMetrics(period: MetricsPeriod, runs: DeployRun[], rollbacks: RollbackRun[]): WeekMetrics[] {
  const weeks: WeekMetrics[] = [];
  for (let start = mondayOf(period.from); start < period.to.getTime(); start += week) {
    const end = start + week;
    const inWeek = runs.filter((run) => run.finishedAt >= start && run.finishedAt < end);
    const durations = inWeek.flatMap((run) =>
      run.status === 'succeeded' && run.startedAt !== undefined ? [run.finishedAt - run.startedAt] : [],
    );
    const meanDuration = mean(durations);
    weeks.push({
      weekStart: new Date(start).toISOString(),
      deploys: inWeek.length,
      succeeded: inWeek.filter((run) => run.status === 'succeeded').length,
      failed: inWeek.filter((run) => run.status === 'failed').length,
      rollbacks: rollbacks.filter((rollback) => rollback.finishedAt >= start && rollback.finishedAt < end).length,
      ...(meanDuration !== undefined ? { meanDeployMinutes: round(meanDuration / minute) } : {}),
    });
  }
  return weeks;
}

function mondayOf(date: Date): number {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  return day.getTime() - ((day.getUTCDay() + 6) % 7) * 24 * 60 * minute;
}
