import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CiStatus } from '../../../../src/shared/contract';
import { HealthProber, isLoopbackHost, type ProbeResult } from '../../../../src/main/core/health/prober';
import { evaluateGates } from '../../../../src/main/core/policy/gate-evaluation';
import {
  auditVerdict,
  ciVerdict,
  coverageVerdict,
  healthVerdict,
  outdatedVerdict,
  performanceVerdict,
} from '../../../../src/main/core/policy/gates';
import { parsePlatform } from '../../../../src/main/core/platform/load';
import { startProbeServer } from '../health/probe-servers';

const thresholds = {
  coverageMinPercent: 80,
  performanceRegressionMaxPercent: 20,
  apiLatencyWarnMs: 500,
  frontendLoadWarnMs: 3000,
  resourceWarnPercent: 80,
  errorRateWarnPercent: 0.5,
};
const verdictOf = (result: { verdict: string }) => result.verdict;

describe('gate verdicts', () => {
  it('coverage: below the threshold blocks, a fall warns, unreadable is unknown', () => {
    const summary = (pct: number) => ({ total: { lines: { pct } } });
    expect(coverageVerdict('api', summary(91.5), thresholds)).toEqual({
      id: 'coverage:api',
      title: 'Coverage of api',
      verdict: 'pass',
      evidence: 'lines 91.5 % ≥ 80 %',
    });
    expect(verdictOf(coverageVerdict('api', summary(85), thresholds, 88))).toBe('warn');
    expect(coverageVerdict('api', summary(79.9), thresholds).evidence).toBe('lines 79.9 % < 80 % required');
    expect(verdictOf(coverageVerdict('api', summary(79.9), thresholds))).toBe('block');
    expect(verdictOf(coverageVerdict('api', { total: {} }, thresholds))).toBe('unknown');
  });

  it('audit: a critical vulnerability blocks, a high one warns', () => {
    const report = (critical: number, high: number) => ({
      metadata: { vulnerabilities: { info: 0, low: 2, moderate: 1, high, critical, total: 3 + high + critical } },
    });
    expect(auditVerdict('api', report(0, 0))).toMatchObject({
      verdict: 'pass',
      evidence: '0 critical, 0 high, 1 moderate, 2 low',
    });
    expect(verdictOf(auditVerdict('api', report(0, 1)))).toBe('warn');
    expect(verdictOf(auditVerdict('api', report(1, 0)))).toBe('block');
    expect(verdictOf(auditVerdict('api', { auditReportVersion: 2 }))).toBe('unknown');
  });

  it('outdated dependencies: one a major version behind warns', () => {
    expect(outdatedVerdict('api', { undici: { current: '7.2.0', wanted: '7.3.0', latest: '8.1.0' } })).toMatchObject({
      verdict: 'warn',
      evidence: 'a major version behind: undici 7.2.0 → 8.1.0',
    });
    expect(verdictOf(outdatedVerdict('api', { zod: { current: '4.1.0', latest: '4.2.0' } }))).toBe('pass');
    expect(verdictOf(outdatedVerdict('api', ['not', 'a', 'report']))).toBe('unknown');
  });

  it('performance: more than 20 % slower than the baseline blocks', () => {
    const baseline = { metrics: { 'login p95 ms': 100, 'search p95 ms': 200 } };
    expect(
      performanceVerdict('api', { metrics: { 'login p95 ms': 119, 'search p95 ms': 150 } }, baseline, thresholds),
    ).toMatchObject({
      verdict: 'pass',
      evidence: 'worst: login p95 ms +19.0 % (allowed +20 %)',
    });
    expect(verdictOf(performanceVerdict('api', { metrics: { 'login p95 ms': 121 } }, baseline, thresholds))).toBe(
      'block',
    );
    expect(verdictOf(performanceVerdict('api', { metrics: { other: 1 } }, baseline, thresholds))).toBe('unknown');
  });

  it('CI: failure or a missing image blocks, pending warns, unreachable is unknown — never pass', () => {
    const status = (state: CiStatus['state'], exists = true): CiStatus => ({
      provider: 'github',
      ref: 'v1.2.0',
      state,
      checks: [],
      image: { reference: 'ghcr.io/org/api:v1.2.0', exists },
    });
    expect(verdictOf(ciVerdict('api', '1.2.0', status('success')))).toBe('pass');
    expect(verdictOf(ciVerdict('api', '1.2.0', status('success', false)))).toBe('block');
    expect(verdictOf(ciVerdict('api', '1.2.0', status('failure')))).toBe('block');
    expect(verdictOf(ciVerdict('api', '1.2.0', status('pending')))).toBe('warn');
    expect(verdictOf(ciVerdict('api', '1.2.0', status('unknown')))).toBe('unknown');
    expect(ciVerdict('api', '1.2.0', new Error('connect ECONNREFUSED'))).toMatchObject({
      verdict: 'unknown',
      evidence: 'CI could not be read: connect ECONNREFUSED',
    });
  });

  it('health: a service down blocks, degraded warns, unreachable alone is unknown', () => {
    const probe = (status: ProbeResult['status']): ProbeResult => ({ status, checkedAt: '2026-11-24T10:00:00Z' });
    const of = (...statuses: ProbeResult['status'][]) =>
      healthVerdict('production', new Map(statuses.map((status, index) => [`s${index}`, probe(status)])));
    expect(verdictOf(of('up', 'up'))).toBe('pass');
    expect(verdictOf(of('up', 'degraded'))).toBe('warn');
    expect(of('up', 'down')).toMatchObject({ verdict: 'block', evidence: 's1 down' });
    expect(verdictOf(of('unreachable'))).toBe('unknown');
  });
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('evaluating every gate of a deploy', () => {
  it('reads each service’s evidence files from its repository, and says unknown for what is missing', async () => {
    const api = await startProbeServer('1.0.0');
    const web = await startProbeServer('1.0.0');
    const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
    closers.push(
      () => api.close(),
      () => web.close(),
      () => prober.close(),
    );
    const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-gates-'));
    for (const service of ['api', 'web']) mkdirSync(path.join(root, service, 'reports'), { recursive: true });
    const write = (file: string, value: unknown) => writeFileSync(path.join(root, file), JSON.stringify(value));
    write('api/reports/coverage-summary.json', { total: { lines: { pct: 92 } } });
    write('api/reports/audit.json', { metadata: { vulnerabilities: { critical: 1, high: 0, moderate: 0, low: 0 } } });
    write('web/reports/coverage-summary.json', { total: { lines: { pct: 64 } } });
    write('api/reports/coverage-production.json', { total: { lines: { pct: 95 } } });
    write('api/reports/outdated.json', { undici: { current: '7.2.0', latest: '8.1.0' } });
    const parsed = parsePlatform(
      `version: 1
id: gates
name: Gates
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
${[
  ['api', api.url],
  ['web', web.url],
]
  .map(
    ([id, url]) => `  - id: ${id}
    name: ${id}
    repo: { path: ${path.join(root, id!)} }
    environments:
      production: { url: "${url}", deploy: { provider: command, command: [deploy] }, credentials: [${id}-key] }`,
  )
  .join('\n')}
credentials:
  - { id: api-key, kind: api-token }
  - { id: web-key, kind: api-token }
policy:
  gates:
    coverageSummary: "{repo}/reports/coverage-summary.json"
    coverageBaseline: "{repo}/reports/coverage-production.json"
    auditReport: "{repo}/reports/audit.json"
    outdatedReport: "{repo}/reports/outdated.json"
`,
      'gates.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const gates = await evaluateGates({
      platform: parsed.platform,
      environment: 'production',
      versions: { api: '1.1.0', web: '1.1.0' },
      prober,
      hasCredential: async (id) => id === 'api-key',
    });
    expect(gates.map((gate) => `${gate.id} ${gate.verdict}`)).toEqual([
      'health:production pass',
      'ci:api unknown',
      'coverage:api warn',
      'audit:api block',
      'outdated:api warn',
      'ci:web unknown',
      'coverage:web block',
      'audit:web unknown',
      'outdated:web unknown',
      'secrets:production block',
    ]);
    expect(gates.find((gate) => gate.id === 'audit:web')?.evidence).toMatch(/audit\.json does not exist$/);
    expect(gates.at(-1)?.evidence).toBe('not set: web-key');
  });
});
