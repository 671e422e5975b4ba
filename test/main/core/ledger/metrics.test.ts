import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../../src/shared/ledger-record';
import { computeMetrics, deliveredReleases, releaseKey } from '../../../../src/main/core/ledger/metrics';
import { recordsAt } from './ledger-builder';

type Step = { service: string; version: string; status: string; minutes: number };

/** A deploy run: started, one step record per service, finished. */
function deploy(id: string, environment: string, started: string, finished: string, status: string, steps: Step[]) {
  const entries: [string, LedgerEntry][] = [
    [started, { action: 'deploy.started', status: 'started', correlationId: id, environment, summary: `deploy ${id}` }],
  ];
  for (const step of steps)
    entries.push([
      finished,
      {
        action: 'deploy.step',
        status: step.status as LedgerEntry['status'],
        correlationId: id,
        environment,
        services: [step.service],
        versionTo: step.version,
        durationMs: step.minutes * 60_000,
        summary: `${step.service} v${step.version}`,
      },
    ]);
  entries.push([
    finished,
    {
      action: 'deploy.finished',
      status: status as LedgerEntry['status'],
      correlationId: id,
      environment,
      summary: `deploy ${id} ${status}`,
      details: {
        steps: steps.map(({ service, version, status: stepStatus }) => ({ service, version, status: stepStatus })),
      },
    },
  ]);
  return entries;
}

function rollback(
  id: string,
  service: string,
  finished: string,
  status: string,
  minutes: number,
  changedSomething: boolean,
) {
  return [
    [
      finished,
      {
        action: 'rollback.finished',
        status: status as LedgerEntry['status'],
        correlationId: id,
        environment: 'production',
        services: [service],
        durationMs: minutes * 60_000,
        summary: `rollback ${id}`,
        details: { level: 1, changedSomething },
      },
    ],
  ] as [string, LedgerEntry][];
}

const ok = (service: string, version: string, minutes: number): Step => ({
  service,
  version,
  status: 'succeeded',
  minutes,
});

describe('KPIs and DORA metrics from the ledger (answers computed by hand)', () => {
  it('computes every KPI for production over two weeks', async () => {
    const records = await recordsAt([
      ...deploy('run-a', 'production', '2026-11-03T14:00:00Z', '2026-11-03T14:06:00Z', 'succeeded', [
        ok('auth', '1.1.0', 3),
        ok('web', '2.0.0', 3),
      ]),
      ...deploy('run-b', 'production', '2026-11-04T14:00:00Z', '2026-11-04T14:20:00Z', 'failed', [
        { service: 'auth', version: '1.2.0', status: 'failed', minutes: 20 },
      ]),
      ...deploy('run-c', 'production', '2026-11-05T14:00:00Z', '2026-11-05T14:10:00Z', 'succeeded', [
        ok('auth', '1.2.0', 10),
      ]),
      // The rollback's own redeploy is not a deploy.
      ...deploy('rollback-2026-11-05-r1', 'production', '2026-11-05T14:55:00Z', '2026-11-05T14:58:00Z', 'succeeded', [
        ok('auth', '1.1.0', 3),
      ]),
      ...rollback('rollback-2026-11-05-r1', 'auth', '2026-11-05T15:00:00Z', 'succeeded', 12, true),
      ...deploy('run-d', 'production', '2026-11-10T14:00:00Z', '2026-11-10T14:04:00Z', 'succeeded', [
        ok('web', '2.1.0', 4),
      ]),
      ...deploy('run-e', 'production', '2026-11-11T13:58:00Z', '2026-11-11T14:00:00Z', 'cancelled', []),
      // Abandoned before changing anything: not a rollback.
      ...rollback('rollback-2026-11-12-r2', 'web', '2026-11-12T09:00:00Z', 'cancelled', 1, false),
      // Abandoned after a step that changed something: an incident, not a rollback either.
      ...rollback('rollback-2026-11-12-r3', 'web', '2026-11-12T10:00:00Z', 'cancelled', 2, true),
      ...rollback('rollback-2026-11-12-r4', 'web', '2026-11-12T11:00:00Z', 'cancelled', 2, true),
      // Other environments and outside the period: left out.
      ...deploy('run-g', 'staging', '2026-11-03T10:00:00Z', '2026-11-03T10:30:00Z', 'failed', []),
      ...deploy('run-f', 'production', '2026-11-20T14:00:00Z', '2026-11-20T14:05:00Z', 'succeeded', [
        ok('web', '2.2.0', 5),
      ]),
    ]);
    const period = { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-16T00:00:00Z') };
    const delivered = deliveredReleases({ records, environment: 'production', period });
    expect(delivered.map((release) => releaseKey(release.service, release.version))).toEqual([
      'auth@1.1.0',
      'web@2.0.0',
      'auth@1.2.0',
      'web@2.1.0',
    ]);
    const commitTimes = new Map([
      ['auth@1.1.0', [new Date('2026-11-02T14:06:00Z')]], // 24 h before run-a ended
      ['web@2.0.0', [new Date('2026-11-03T02:06:00Z')]], // 12 h
      ['auth@1.2.0', [new Date('2026-11-04T14:10:00Z'), new Date('2026-11-05T10:10:00Z')]], // 24 h, 4 h
      ['web@2.1.0', [new Date('2026-11-09T14:04:00Z')]], // 24 h
    ]);
    const report = computeMetrics({ records, environment: 'production', period, commitTimes });
    const kpi = Object.fromEntries(report.kpis.map((entry) => [entry.id, entry]));

    // a, c, d succeeded; b failed; e cancelled (left out of the rates).
    expect(kpi['success-rate']).toMatchObject({ value: 75, isMet: false, target: '> 95%' });
    // 6, 10 and 4 minutes.
    expect(kpi['deploy-time']).toMatchObject({ value: 6.67, isMet: true, unit: 'min' });
    expect(kpi['deploy-time-p95']!.value).toBe(10);
    // One of three succeeded deploys (c) was rolled back (r1); the abandoned walks are not rollbacks.
    expect(kpi['rollback-frequency']).toMatchObject({
      value: 33.33,
      isMet: false,
      detail: '1 of 3 succeeded deploys were rolled back (1 rollback)',
    });
    // b failed; c was rolled back (r1 after it); a was not (c deployed auth again before r1).
    expect(kpi['change-failure-rate']).toMatchObject({ value: 50, isMet: false, target: '< 15%' });
    // One rollback says nothing about the target: the value stands, unjudged.
    expect(kpi.mttr).toMatchObject({ value: 12, caveat: '1 succeeded rollback: too few to judge against the target' });
    expect(kpi.mttr!.isMet).toBeUndefined();
    expect(kpi['deploy-frequency']).toMatchObject({ value: 1.5, unit: 'per week' });
    // Lead times 24, 12, 24, 4, 24 h: median 24, mean 17.6.
    expect(kpi['lead-time']).toMatchObject({ value: 24, unit: 'h', detail: 'over 5 commits; mean 17.6 h' });

    expect(report.services).toEqual([
      { service: 'auth', deploys: 3, succeeded: 2, failed: 1, successRate: 66.67, meanStepMinutes: 11, rollbacks: 1 },
      { service: 'web', deploys: 2, succeeded: 2, failed: 0, successRate: 100, meanStepMinutes: 3.5, rollbacks: 0 },
    ]);
    expect(report.weeks).toEqual([
      {
        weekStart: '2026-11-02T00:00:00.000Z',
        deploys: 3,
        succeeded: 2,
        failed: 1,
        rollbacks: 1,
        meanDeployMinutes: 8,
      },
      {
        weekStart: '2026-11-09T00:00:00.000Z',
        deploys: 1,
        succeeded: 1,
        failed: 0,
        rollbacks: 0,
        meanDeployMinutes: 4,
      },
    ]);
  });

  it('pro-rates a period shorter than a week, and says so', async () => {
    const records = await recordsAt([
      ...deploy('run-a', 'production', '2026-11-02T10:00:00Z', '2026-11-02T10:06:00Z', 'succeeded', [
        ok('auth', '1.1.0', 6),
      ]),
    ]);
    const report = computeMetrics({
      records,
      environment: 'production',
      period: { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-04T00:00:00Z') },
    });
    expect(report.kpis.find((entry) => entry.id === 'deploy-frequency')).toMatchObject({
      value: 3.5,
      detail: '1 succeeded deploys in 2 days, pro-rated to a week',
    });
    // One deploy: its rates stand unjudged.
    expect(report.kpis.find((entry) => entry.id === 'success-rate')).toMatchObject({
      value: 100,
      caveat: '1 deploy: too few to judge against the target',
    });
  });

  it('says there is nothing to compute rather than inventing a value', async () => {
    const report = computeMetrics({
      records: [],
      environment: 'production',
      period: { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-09T00:00:00Z') },
    });
    for (const entry of report.kpis.filter((candidate) => candidate.id !== 'deploy-frequency')) {
      expect(entry.value, entry.id).toBeUndefined();
      expect(entry.isMet, entry.id).toBeUndefined();
    }
    expect(report.kpis.find((entry) => entry.id === 'deploy-frequency')!.value).toBe(0);
    expect(report.weeks).toHaveLength(1);
  });
});
