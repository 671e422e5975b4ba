/**
 * Runs a deploy plan: wave after wave in dependency order, steps of a wave in parallel up to a
 * limit; each step triggers its provider, streams its logs, then polls health until the service
 * reports the target version (no fixed sleep). The first failure stops everything not yet started;
 * running steps finish. Every transition is journaled before it happens, so an interrupted run can
 * be resumed without triggering any step twice. The environment is locked for the run.
 */
import path from 'node:path';
import type { LedgerEntry } from '../../../shared/ledger-record';
import { cellKey, healthUrl } from '../health/matrix-model';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import { acquireLock } from '../ledger/file-lock';
import type { Platform } from '../platform/schema';
import type { DeployJournal, JournaledStep } from './journal';
import { journaledSteps } from './journal';
import type { DeployPlan, PlannedStep } from './plan';
import type { LogSink, ProviderFactory, TriggerOutcome } from './provider';
import { createProviderFactory } from './provider-factory';

export type StepStatus = 'pending' | 'running' | 'verifying' | 'succeeded' | 'failed' | 'skipped' | 'not-started';

export interface StepReport {
  service: string;
  version: string;
  status: StepStatus;
  detail: string;
  durationMs?: number;
}

export interface DeployRunOptions {
  platform: Platform;
  plan: DeployPlan;
  runId: string;
  journal: DeployJournal;
  /** Where environment locks live (`<data>/locks`). */
  lockFolder: string;
  prober: HealthProber;
  log: LogSink;
  /** Builds each step's provider client; command, Coolify and webhook without a vault by default. */
  providers?: ProviderFactory;
  audit?: AuditTrail;
  onStepChanged?: (step: StepReport) => void;
  /** Steps of one wave running at once. */
  parallelism?: number;
  /** How long a step may take to report its target version healthy. */
  stepTimeoutMs?: number;
  pollIntervalMs?: number;
  /** How long resume watches a step whose trigger may not have happened before re-triggering it. */
  reconcileWindowMs?: number;
  signal?: AbortSignal;
  /** Continue an interrupted run from its journal instead of starting one. */
  resume?: boolean;
}

export interface DeployRunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  steps: StepReport[];
}

export async function runDeploy(options: DeployRunOptions): Promise<DeployRunResult> {
  const { platform, plan } = options;
  const environment = plan.environment;
  const lock = await acquireLock(path.join(options.lockFolder, `${platform.id}-${environment}.lock`), {
    description: `The ${environment} environment of ${platform.name}`,
    leaseMs: 60_000,
    waitMs: 0,
  });
  const renew = setInterval(() => void lock.renew().catch(() => undefined), 20_000);
  renew.unref();
  try {
    return await execute(options, environment);
  } finally {
    clearInterval(renew);
    await lock.release();
  }
}

async function execute(options: DeployRunOptions, environment: string): Promise<DeployRunResult> {
  const { plan, journal, audit } = options;
  const now = () => new Date().toISOString();
  const record = async (entry: LedgerEntry) => {
    await audit?.record([entry]);
  };
  const previous = options.resume ? journaledSteps(await journal.read()) : new Map<string, JournaledStep>();
  const reports = new Map<string, StepReport>();
  const report = (step: StepReport) => {
    reports.set(step.service, step);
    options.onStepChanged?.(step);
  };
  for (const wave of plan.waves)
    for (const step of wave)
      report({ service: step.service, version: step.version, status: 'pending', detail: step.reason });

  if (!options.resume) {
    await journal.append({
      kind: 'run-started',
      runId: options.runId,
      environment,
      waves: plan.waves.map((wave) =>
        wave.map((step) => ({ service: step.service, version: step.version, action: step.action })),
      ),
      at: now(),
    });
    await record({
      action: 'deploy.started',
      status: 'started',
      correlationId: options.runId,
      environment,
      services: plan.waves.flat().map((step) => step.service),
      summary: `Deploy to ${environment}: ${plan.waves
        .flat()
        .map((step) => `${step.service} v${step.version}`)
        .join(', ')}`,
    });
  }

  let hasFailed = false;
  let isCancelled = false;
  for (const wave of plan.waves) {
    isCancelled = isCancelled || Boolean(options.signal?.aborted);
    if (hasFailed || isCancelled) {
      for (const step of wave)
        report({
          service: step.service,
          version: step.version,
          status: 'not-started',
          detail: hasFailed ? 'not started: an earlier step failed' : 'not started: cancelled',
        });
      continue;
    }
    const outcomes = await runLimited(wave, options.parallelism ?? 3, (step) =>
      runStep(step, previous.get(step.service), options, environment, report, record, now),
    );
    hasFailed = outcomes.some((status) => status === 'failed');
  }
  isCancelled = isCancelled || Boolean(options.signal?.aborted);
  const status = hasFailed ? 'failed' : isCancelled ? 'cancelled' : 'succeeded';
  await journal.append({ kind: 'run-finished', status, at: now() });
  const steps = [...reports.values()];
  await record({
    action: 'deploy.finished',
    status: status === 'succeeded' ? 'succeeded' : status === 'cancelled' ? 'cancelled' : 'failed',
    correlationId: options.runId,
    environment,
    services: steps.map((step) => step.service),
    summary: `Deploy to ${environment} ${status}: ${steps.map((step) => `${step.service} ${step.status}`).join(', ')}`,
    details: {
      steps: steps.map((step) => ({
        service: step.service,
        version: step.version,
        status: step.status,
        detail: step.detail,
      })),
    },
  });
  return { runId: options.runId, status, steps };
}

async function runStep(
  step: PlannedStep,
  journaled: JournaledStep | undefined,
  options: DeployRunOptions,
  environment: string,
  report: (step: StepReport) => void,
  record: (entry: LedgerEntry) => Promise<void>,
  now: () => string,
): Promise<StepStatus> {
  const { journal } = options;
  const began = Date.now();
  const previousState = journaled?.state;
  const finish = async (status: 'succeeded' | 'failed' | 'skipped', detail: string): Promise<StepStatus> => {
    await journal.append({ kind: 'step-finished', service: step.service, status, detail, at: now() });
    report({ service: step.service, version: step.version, status, detail, durationMs: Date.now() - began });
    if (status !== 'skipped') {
      await record({
        action: 'deploy.step',
        status,
        correlationId: options.runId,
        environment,
        services: [step.service],
        versionFrom: step.runningVersion,
        versionTo: step.version,
        durationMs: Date.now() - began,
        summary: `${step.service} v${step.version} to ${environment}: ${detail}`,
      });
    }
    return status;
  };

  if (previousState === 'succeeded' || previousState === 'failed' || previousState === 'skipped') {
    report({
      service: step.service,
      version: step.version,
      status: previousState,
      detail: 'finished before the interruption',
    });
    return previousState;
  }
  if (step.action === 'skip') return finish('skipped', step.reason);

  const service = options.platform.services.find((candidate) => candidate.id === step.service)!;
  const config = service.environments[environment]!;
  const provider = (options.providers ?? createProviderFactory())(config.deploy);
  const context = {
    service: step.service,
    environment,
    version: step.version,
    ...(step.rollbackImage ? { rollbackImage: step.rollbackImage } : {}),
  };
  const signal = options.signal ?? new AbortController().signal;
  const log = (text: string) => options.log(step.service, text);
  const url = healthUrl(config.url, config.healthPath);
  const reachesTarget = (timeoutMs: number) =>
    waitForVersion(
      options.prober,
      cellKey(step.service, environment),
      url,
      step.version,
      timeoutMs,
      options.pollIntervalMs ?? 250,
      options.signal,
    );
  const verify = async (outcome: TriggerOutcome, landedDetail: string): Promise<StepStatus> => {
    if (!outcome.ok) return finish('failed', outcome.detail);
    report({
      service: step.service,
      version: step.version,
      status: 'verifying',
      detail: `waiting for health to report v${step.version}`,
    });
    const landed = await reachesTarget(options.stepTimeoutMs ?? 120_000);
    return landed.ok ? finish('succeeded', landedDetail) : finish('failed', landed.detail);
  };

  if ((previousState === 'triggered' || previousState === 'intent') && provider.reconcile) {
    // Ask the provider first: it knows whether this run's deploy exists, whatever the journal got to write.
    report({ service: step.service, version: step.version, status: 'verifying', detail: 'asking the provider' });
    try {
      const found = await provider.reconcile(context, { log, signal }, journaled ?? {});
      if (found.status === 'found') {
        if (previousState === 'intent')
          await journal.append({ kind: 'step-triggered', service: step.service, ref: found.ref, at: now() });
        return verify(
          found.outcome,
          `reports v${step.version} (deployment ${found.ref}, found after the interruption)`,
        );
      }
      if (previousState === 'triggered')
        return finish(
          'failed',
          `needs reconciling: it was triggered before the interruption and the provider no longer knows it`,
        );
    } catch (error) {
      return finish('failed', `needs reconciling: the provider could not be asked (${(error as Error).message})`);
    }
  } else if (previousState === 'triggered') {
    // Triggered before the interruption: never trigger again; watch whether it landed.
    log(`Resuming: v${step.version} was triggered before the interruption; checking health.\n`);
    report({
      service: step.service,
      version: step.version,
      status: 'verifying',
      detail: 'checking the earlier trigger',
    });
    const landed = await reachesTarget(options.stepTimeoutMs ?? 120_000);
    return landed.ok
      ? finish('succeeded', `reports v${step.version} (triggered before the interruption)`)
      : finish('failed', `needs reconciling: it was triggered before the interruption and ${landed.detail}`);
  } else if (previousState === 'intent') {
    log(`Resuming: the trigger may not have happened; watching health before deciding.\n`);
    const landed = await reachesTarget(options.reconcileWindowMs ?? 3_000);
    if (landed.ok) return finish('succeeded', `reports v${step.version} (deployed before the interruption)`);
  }
  if (signal.aborted) return finish('failed', 'cancelled before it started');

  report({ service: step.service, version: step.version, status: 'running', detail: step.reason });
  let snapshot: string[] | undefined;
  try {
    snapshot = await provider.snapshot?.(context);
  } catch (error) {
    return finish('failed', `the provider could not be reached before the deploy: ${(error as Error).message}`);
  }
  await journal.append({ kind: 'step-intent', service: step.service, version: step.version, snapshot, at: now() });
  let triggeredWrite: Promise<void> = Promise.resolve();
  const outcome = await provider.deploy(
    context,
    {
      log,
      signal,
      onTriggered: (ref) => {
        triggeredWrite = journal.append({ kind: 'step-triggered', service: step.service, ref, at: now() });
      },
    },
    snapshot,
  );
  await triggeredWrite;
  return verify(outcome, `healthy on v${step.version}`);
}

async function waitForVersion(
  prober: HealthProber,
  key: string,
  url: string,
  version: string,
  timeoutMs: number,
  pollIntervalMs: number,
  signal?: AbortSignal,
): Promise<{ ok: boolean; detail: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await prober.probe({ key, url });
    if (result.status === 'up' && result.version === version) return { ok: true, detail: 'healthy' };
    const last = `${result.status}${result.version ? ` on v${result.version}` : ''}${result.error ? ` (${result.error})` : ''}`;
    if (Date.now() + pollIntervalMs > deadline || signal?.aborted) {
      return {
        ok: false,
        detail: `did not report v${version} healthy within ${Math.round(timeoutMs / 1000)} s (last: ${last})`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function runLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}
