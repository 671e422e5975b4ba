/**
 * Stop-ship and warning gates (R10, R11, R24): evaluators that each say pass, warn, block or
 * unknown, with the evidence. An evaluator that cannot read its source says "unknown", never
 * "pass". The verdict rules are pure functions over what was read; reading (files, CI, health)
 * is a thin shell around them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CiStatus, GateVerdict } from '../../../shared/contract';
import type { ProbeResult } from '../health/prober';
import type { Platform } from '../platform/schema';

export interface GateResult {
  id: string;
  title: string;
  verdict: GateVerdict;
  evidence: string;
}

type Thresholds = Platform['policy']['gates'];

/** Line coverage against the threshold; a fall since the baseline only warns. */
export function coverageVerdict(
  service: string,
  summary: unknown,
  thresholds: Thresholds,
  previousPercent?: number,
): GateResult {
  const base = { id: `coverage:${service}`, title: `Coverage of ${service}` };
  const percent = (summary as { total?: { lines?: { pct?: unknown } } })?.total?.lines?.pct;
  if (typeof percent !== 'number')
    return { ...base, verdict: 'unknown', evidence: 'the coverage summary has no total.lines.pct' };
  const minimum = thresholds.coverageMinPercent;
  if (percent < minimum) return { ...base, verdict: 'block', evidence: `lines ${percent} % < ${minimum} % required` };
  if (previousPercent !== undefined && percent < previousPercent)
    return { ...base, verdict: 'warn', evidence: `lines ${percent} %, down from ${previousPercent} %` };
  return { ...base, verdict: 'pass', evidence: `lines ${percent} % ≥ ${minimum} %` };
}

/** `npm audit --json`: a critical vulnerability blocks, a high one warns. */
export function auditVerdict(service: string, report: unknown): GateResult {
  const base = { id: `audit:${service}`, title: `Dependency audit of ${service}` };
  const counts = (report as { metadata?: { vulnerabilities?: Record<string, unknown> } })?.metadata?.vulnerabilities;
  if (!counts || typeof counts.critical !== 'number')
    return { ...base, verdict: 'unknown', evidence: 'not an npm audit report (no metadata.vulnerabilities)' };
  const count = (level: string) => (typeof counts[level] === 'number' ? (counts[level] as number) : 0);
  const summary = ['critical', 'high', 'moderate', 'low'].map((level) => `${count(level)} ${level}`).join(', ');
  if (count('critical') > 0) return { ...base, verdict: 'block', evidence: summary };
  if (count('high') > 0) return { ...base, verdict: 'warn', evidence: summary };
  return { ...base, verdict: 'pass', evidence: summary };
}

/** Each benchmark metric against its baseline: slower by more than the allowed percentage blocks. */
export function performanceVerdict(
  service: string,
  result: unknown,
  baseline: unknown,
  thresholds: Thresholds,
): GateResult {
  const base = { id: `performance:${service}`, title: `Performance of ${service}` };
  const metrics = (value: unknown) => (value as { metrics?: Record<string, unknown> })?.metrics;
  const now = metrics(result);
  const before = metrics(baseline);
  if (!now || !before)
    return { ...base, verdict: 'unknown', evidence: 'no { "metrics": {…} } in the result or baseline' };
  const allowed = thresholds.performanceRegressionMaxPercent;
  const changes = Object.entries(before)
    .filter(([name, value]) => typeof value === 'number' && value > 0 && typeof now[name] === 'number')
    .map(([name, value]) => ({
      name,
      percent: (((now[name] as number) - (value as number)) / (value as number)) * 100,
    }));
  if (changes.length === 0) return { ...base, verdict: 'unknown', evidence: 'no metric in common with the baseline' };
  const worst = changes.reduce((a, b) => (b.percent > a.percent ? b : a));
  const evidence = `worst: ${worst.name} ${worst.percent >= 0 ? '+' : ''}${worst.percent.toFixed(1)} % (allowed +${allowed} %)`;
  return { ...base, verdict: worst.percent > allowed ? 'block' : 'pass', evidence };
}

/** `npm outdated --json`: a dependency a major version behind its latest warns. */
export function outdatedVerdict(service: string, report: unknown): GateResult {
  const base = { id: `outdated:${service}`, title: `Outdated dependencies of ${service}` };
  if (!report || typeof report !== 'object' || Array.isArray(report))
    return { ...base, verdict: 'unknown', evidence: 'not an npm outdated report' };
  const major = (version: unknown) => (typeof version === 'string' ? Number(version.split('.')[0]) : Number.NaN);
  const behind = Object.entries(report as Record<string, { current?: unknown; latest?: unknown }>)
    .filter(([, entry]) => major(entry?.latest) > major(entry?.current))
    .map(([name, entry]) => `${name} ${String(entry.current)} → ${String(entry.latest)}`);
  return behind.length > 0
    ? { ...base, verdict: 'warn', evidence: `a major version behind: ${behind.join(', ')}` }
    : { ...base, verdict: 'pass', evidence: `${Object.keys(report).length} outdated, none a major version behind` };
}

/** CI of the version to deploy: failure or a missing image blocks; pending warns; unreadable is unknown. */
export function ciVerdict(service: string, version: string, status: CiStatus | Error): GateResult {
  const base = { id: `ci:${service}`, title: `CI of ${service} v${version}` };
  if (status instanceof Error)
    return { ...base, verdict: 'unknown', evidence: `CI could not be read: ${status.message}` };
  const image = status.image?.exists === false ? ` Image ${status.image.reference} is missing.` : '';
  return { ...base, verdict: ciStateVerdict(status), evidence: `${status.detail ?? status.state}${image}` };
}

/** The rule for a CI status: failure or a missing image blocks, pending warns, no answer is unknown. */
export function ciStateVerdict(status: CiStatus): GateVerdict {
  if (status.image?.exists === false) return 'block';
  const verdicts = { success: 'pass', failure: 'block', pending: 'warn', unknown: 'unknown', none: 'unknown' } as const;
  return verdicts[status.state];
}

/** The target environment's health: a service down blocks, degraded warns. */
export function healthVerdict(environment: string, results: Map<string, ProbeResult | undefined>): GateResult {
  const base = { id: `health:${environment}`, title: `Health of ${environment}` };
  if (results.size === 0) return { ...base, verdict: 'unknown', evidence: 'no service to probe' };
  const notUp = [...results].filter(([, result]) => result?.status !== 'up');
  if (notUp.length === 0) return { ...base, verdict: 'pass', evidence: `all ${results.size} services up` };
  const evidence = notUp.map(([service, result]) => `${service} ${result?.status ?? 'not probed'}`).join(', ');
  const isDown = notUp.some(([, result]) => result?.status === 'down');
  const isUnknown = notUp.every(([, result]) => !result || result.status === 'unreachable');
  return { ...base, verdict: isDown ? 'block' : isUnknown ? 'unknown' : 'warn', evidence };
}

/** A service's evidence file, by the platform's template; undefined when the template does not apply. */
export function evidencePath(template: string | undefined, service: Platform['services'][number]): string | undefined {
  if (!template) return undefined;
  if (template.includes('{repo}') && !service.repo.path) return undefined;
  return path.resolve(template.replaceAll('{repo}', service.repo.path ?? '').replaceAll('{service}', service.id));
}

/** Reads a JSON evidence file: the value, or why it could not be read. */
export async function readEvidence(
  file: string,
): Promise<{ ok: true; value: unknown } | { ok: false; reason: string }> {
  try {
    return { ok: true, value: JSON.parse(await readFile(file, 'utf8')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? `${file} does not exist` : `${file} could not be read (${(error as Error).message})`,
    };
  }
}
