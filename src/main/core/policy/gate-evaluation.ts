/**
 * Evaluates every gate for a deploy to an environment: its health, and for each service whose
 * version would change, CI, coverage, dependency audit and performance; plus the credentials its
 * services use, which must be in the vault (the pre-deploy security checklist).
 */
import type { CiStatus } from '../../../shared/contract';
import { currentHealth } from '../health/current-health';
import type { HealthProber } from '../health/prober';
import type { Platform } from '../platform/schema';
import {
  auditVerdict,
  ciVerdict,
  coverageVerdict,
  evidencePath,
  healthVerdict,
  outdatedVerdict,
  performanceVerdict,
  readEvidence,
  type GateResult,
} from './gates';
import { prometheusGates } from './prometheus-gates';
import { tlsGates } from './tls-gate';

export interface GateInputs {
  platform: Platform;
  environment: string;
  /** Service → the version that would be deployed. */
  versions: Record<string, string>;
  prober: HealthProber;
  ciStatus?: (service: string, tag: string) => Promise<CiStatus>;
  /** Whether a declared credential has a value in the vault; absent when no vault can be asked. */
  hasCredential?: (id: string) => Promise<boolean>;
  /** The range Prometheus rates are computed over (default 5m). */
  metricsWindow?: string;
  isHostAllowed?: (hostname: string) => boolean;
  now?: Date;
  /** Extra certificate authorities to trust (tests). */
  ca?: string | Buffer;
}

export async function evaluateGates(inputs: GateInputs): Promise<GateResult[]> {
  const { platform, environment, versions } = inputs;
  const thresholds = platform.policy.gates;
  const inEnvironment = platform.services.filter((service) => service.environments[environment]);
  const health = await currentHealth(
    platform,
    environment,
    inputs.prober,
    inEnvironment.map((service) => service.id),
  );
  const results: GateResult[] = [healthVerdict(environment, health)];
  if (platform.metrics.prometheusUrl)
    results.push(
      ...(await prometheusGates({
        platform,
        environment,
        prometheusUrl: platform.metrics.prometheusUrl,
        window: inputs.metricsWindow,
        isHostAllowed: inputs.isHostAllowed,
      })),
    );
  for (const service of inEnvironment.filter((candidate) => versions[candidate.id] !== undefined)) {
    const version = versions[service.id]!;
    results.push(
      inputs.ciStatus
        ? ciVerdict(
            service.id,
            version,
            await inputs.ciStatus(service.id, `v${version}`).catch((error: Error) => error),
          )
        : {
            id: `ci:${service.id}`,
            title: `CI of ${service.id} v${version}`,
            verdict: 'unknown',
            evidence: 'No CI provider is configured for this platform.',
          },
    );
    const previous = await readOptional(evidencePath(thresholds.coverageBaseline, service));
    const previousPercent = (previous as { total?: { lines?: { pct?: unknown } } } | undefined)?.total?.lines?.pct;
    const fileGates: [string | undefined, string, string, (value: unknown) => GateResult][] = [
      [
        thresholds.coverageSummary,
        'coverage',
        'Coverage',
        (value) =>
          coverageVerdict(
            service.id,
            value,
            thresholds,
            typeof previousPercent === 'number' ? previousPercent : undefined,
          ),
      ],
      [thresholds.auditReport, 'audit', 'Dependency audit', (value) => auditVerdict(service.id, value)],
      [thresholds.outdatedReport, 'outdated', 'Outdated dependencies', (value) => outdatedVerdict(service.id, value)],
    ];
    for (const [template, id, title, verdict] of fileGates) {
      const file = evidencePath(template, service);
      if (!file) continue;
      const evidence = await readEvidence(file);
      results.push(
        evidence.ok
          ? verdict(evidence.value)
          : {
              id: `${id}:${service.id}`,
              title: `${title} of ${service.id}`,
              verdict: 'unknown',
              evidence: evidence.reason,
            },
      );
    }
    const resultFile = evidencePath(thresholds.benchmarkResult, service);
    const baselineFile = evidencePath(thresholds.benchmarkBaseline, service);
    if (resultFile && baselineFile) {
      const [result, baseline] = await Promise.all([readEvidence(resultFile), readEvidence(baselineFile)]);
      results.push(
        result.ok && baseline.ok
          ? performanceVerdict(service.id, result.value, baseline.value, thresholds)
          : {
              id: `performance:${service.id}`,
              title: `Performance of ${service.id}`,
              verdict: 'unknown',
              evidence: (!result.ok ? result.reason : '') || (!baseline.ok ? baseline.reason : ''),
            },
      );
    }
  }
  if (platform.environments.find((candidate) => candidate.id === environment)?.protected)
    results.push(
      ...(await tlsGates(
        environment,
        inEnvironment.map((service) => service.environments[environment]!.url),
        inputs.now ?? new Date(),
        { isHostAllowed: inputs.isHostAllowed, ca: inputs.ca },
      )),
    );
  const credentials = [...new Set(inEnvironment.flatMap((service) => service.environments[environment]!.credentials))];
  if (credentials.length > 0) {
    const base = { id: `secrets:${environment}`, title: `Secrets of ${environment} in the vault` };
    if (!inputs.hasCredential) results.push({ ...base, verdict: 'unknown', evidence: 'the vault could not be asked' });
    else {
      const missing: string[] = [];
      for (const id of credentials) if (!(await inputs.hasCredential(id))) missing.push(id);
      results.push(
        missing.length > 0
          ? { ...base, verdict: 'block', evidence: `not set: ${missing.join(', ')}` }
          : { ...base, verdict: 'pass', evidence: `all ${credentials.length} set` },
      );
    }
  }
  return results;
}

/** An optional evidence file's content, or undefined when there is none or it cannot be read. */
async function readOptional(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  const evidence = await readEvidence(file);
  return evidence.ok ? evidence.value : undefined;
}
