/**
 * Runs a deploy plan in dependency order: each step starts as soon as the steps it depends on
 * are verified, up to a parallelism limit; each step triggers its provider, streams its logs, then
 * polls health — fast at first, backing off — until the service reports the target version (no
 * fixed sleep). The first failure stops everything not yet started;
 * running steps finish; a step that never left `pending` fails the run. Every transition is
 * journaled before it happens — a child's pid the moment it exists — so an interrupted run can be
 * resumed without triggering any step twice. The environment is locked for the run.
 */
import { randomUUID } from 'node:crypto';

import path from 'node:path';
import type { LedgerEntry } from '../../../shared/ledger-record';

import { cellKey, healthUrl } from '../health/matrix-model';

import { acquireLock } from '../ledger/file-lock';

import type { JournaledStep } from './journal';
import { journaledSteps } from './journal';

import { CockpitError } from '../errors';

import type { PlannedStep } from './plan';
import { noBackpressure } from '../logs/backpressure';
import type { LoggedCommandOptions } from '../process/run-command';
import type { TriggerOutcome } from './provider';
import { createProviderFactory } from './provider-factory';

import type { DeployRunOptions, DeployRunResult, StepReport, StepStatus } from './run-options';

import { isReleaseVersion } from './versions';

import { waitForVersion } from './wait-for-version';

export type { DeployRunOptions, DeployRunResult, StepReport, StepStatus } from './run-options';

export async function runDeploy(options: DeployRunOptions): Promise<DeployRunResult> {
  const { platform, plan } = options;
  const parallelism = options.parallelism ?? 3;
  if (!Number.isInteger(parallelism) || parallelism < 1)
    throw new CockpitError(
      'BAD_INPUT',
      `${String(options.parallelism)} steps at a time cannot deploy anything: give a whole number of 1 or more.`,
    );
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
  const parallelism = options.parallelism ?? 3;
  for (const wave of plan.waves)
    wave.forEach((step, index) =>
      report({
        service: step.service,
        version: step.version,
        status: 'pending',
        detail: waitingFor(step, index, parallelism),
      }),
    );
  const startedEntry: LedgerEntry = {
    action: 'deploy.started',
    status: 'started',
    correlationId: options.runId,
    environment,
    services: plan.waves.flat().map((step) => step.service),
    summary: `Deploy to ${environment}: ${plan.waves
      .flat()
      .map((step) => `${step.service} ${step.runningVersion ? `v${step.runningVersion}` : 'v?'} → v${step.version}`)
      .join(', ')}`,
    ...(options.planId ? { details: { planId: options.planId } } : {}),
  };

  if (!options.resume) {
    await journal.append({
      kind: 'run-started',
      runId: options.runId,
      environment,
      ...(options.planId ? { planId: options.planId } : {}),
      waves: plan.waves.map((wave) =>
        wave.map((step) => ({
          service: step.service,
          version: step.version,
          action: step.action,
          dependsOn: step.dependsOn,
          ...(step.runningVersion ? { runningVersion: step.runningVersion } : {}),
          reason: step.reason,
        })),
      ),
      at: now(),
    });
    await record(startedEntry);
  } else {
    // The interruption and the resume are part of the record (the post-deploy watch needs the start).
    await journal.append({ kind: 'run-resumed', at: now() });
    const isRecorded = audit
      ? (await audit.ledger.readAll()).some(
          (entry) => entry.action === 'deploy.started' && entry.correlationId === options.runId,
        )
      : true;
    if (!isRecorded) await record({ ...startedEntry, summary: `${startedEntry.summary} (recorded when resumed)` });
    const unfinished = [...previous].filter(([, step]) => !['succeeded', 'failed', 'skipped'].includes(step.state));
    await record({
      action: 'deploy.resumed',
      status: 'info',
      correlationId: options.runId,
      environment,
      services: unfinished.map(([service]) => service),
      summary: `Deploy ${options.runId} to ${environment} resumed after an interruption; unfinished: ${
        unfinished.map(([service, step]) => `${service} (${step.state})`).join(', ') || 'nothing'
      }.`,
    });
  }

  let hasFailed = false;
  let isCancelled = false;
  // Each step starts as soon as every step it depends on has succeeded (or was skipped), within
  // the parallelism limit: no wave waits for its slowest member. The first failure (or a cancel)
  // stops what has not started; what runs finishes.
  const pending = plan.waves.flat();
  const inPlan = new Set(pending.map((step) => step.service));
  const finished = new Map<string, StepStatus>();
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const isReady = (step: PlannedStep) =>
      step.dependsOn
        .filter((dependency) => inPlan.has(dependency))
        .every((dependency) => ['succeeded', 'skipped'].includes(finished.get(dependency) ?? ''));
    const pump = () => {
      isCancelled = isCancelled || Boolean(options.signal?.aborted);
      if (hasFailed || isCancelled) {
        for (const step of pending.splice(0))
          report({
            service: step.service,
            version: step.version,
            status: 'not-started',
            detail: hasFailed ? 'not started: an earlier step failed' : 'not started: cancelled',
          });
      }
      for (let index = 0; index < pending.length && active < parallelism;) {
        const step = pending[index]!;
        if (!isReady(step)) {
          index++;
          continue;
        }
        pending.splice(index, 1);
        active++;
        runStep(step, previous.get(step.service), options, environment, report, record, now).then((status) => {
          finished.set(step.service, status);
          if (status === 'failed') hasFailed = true;
          active--;
          pump();
        }, reject);
      }
      // Nothing runs and nothing can start: what is left waits on a step that did not succeed.
      if (active === 0) resolve();
    };
    pump();
  });
  isCancelled = isCancelled || Boolean(options.signal?.aborted);
  // A planned step that never left `pending` did not run: the run did not do what it was asked.
  const neverRan = [...reports.values()].filter((step) => step.status === 'pending');
  for (const step of neverRan) report({ ...step, status: 'not-started', detail: 'never started' });
  const status = hasFailed || neverRan.length > 0 ? 'failed' : isCancelled ? 'cancelled' : 'succeeded';
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
  if (!isReleaseVersion(step.version))
    return finish('failed', `not started: the target ${JSON.stringify(step.version.slice(0, 80))} is not a version`);

  const service = options.platform.services.find((candidate) => candidate.id === step.service)!;
  const config = service.environments[environment]!;
  const provider = (options.providers ?? createProviderFactory())(config.deploy);
  const context = {
    service: step.service,
    environment,
    version: step.version,
    ...(step.rollbackImage ? { rollbackImage: step.rollbackImage } : {}),
  };
  const token = journaled?.token ?? randomUUID();
  const signal = options.signal ?? new AbortController().signal;
  const log = (text: string) => options.log(step.service, text);
  const backpressure = options.backpressure ?? noBackpressure;
  const runLogged = options.runLogged;
  const logged = runLogged
    ? { runLogged: (command: readonly string[], how: LoggedCommandOptions) => runLogged(step.service, command, how) }
    : {};
  const url = healthUrl(config.url, config.healthPath);
  const reachesTarget = (timeoutMs: number, onTick?: (secondsLeft: number) => void) =>
    waitForVersion(
      options.prober,
      cellKey(step.service, environment),
      url,
      step.version,
      timeoutMs,
      options.pollIntervalMs ?? 500,
      options.signal,
      onTick,
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
      const found = await provider.reconcile(context, { log, signal, backpressure }, { ...journaled, token });
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
          needsReconciling(step, 'it was triggered before the interruption and the provider no longer knows it'),
        );
      // Nothing of this trigger was found (no deployment, no child): if it landed all the same,
      // health says so now; otherwise it never started, and it is started once.
      const landed = await reachesTarget(0);
      if (landed.ok) return finish('succeeded', `reports v${step.version} (deployed before the interruption)`);
    } catch (error) {
      return finish('failed', needsReconciling(step, `the provider could not be asked (${(error as Error).message})`));
    }
  } else if (previousState === 'triggered') {
    // Triggered before the interruption: never trigger again; watch whether it landed.
    log(`Resuming: v${step.version} was triggered before the interruption; checking health.\n`);
    const landed = await reachesTarget(options.stepTimeoutMs ?? 120_000, (secondsLeft) =>
      report({
        service: step.service,
        version: step.version,
        status: 'verifying',
        detail: `checking the earlier trigger: ${secondsLeft} s left before it needs a person`,
      }),
    );
    return landed.ok
      ? finish('succeeded', `reports v${step.version} (triggered before the interruption)`)
      : finish('failed', needsReconciling(step, `it was triggered before the interruption and ${landed.detail}`));
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
  await journal.append({
    kind: 'step-intent',
    service: step.service,
    version: step.version,
    snapshot,
    token,
    at: now(),
  });
  const outcome = await provider.deploy(
    { ...context, token },
    {
      log,
      signal,
      backpressure,
      ...logged,
      // Written before anything else happens: a crash right after it leaves the pid or the
      // deployment's id on disk for the resume to find.
      onTriggered: (ref, pid) =>
        journal.appendNow({
          kind: 'step-triggered',
          service: step.service,
          ref,
          ...(pid !== undefined ? { pid } : {}),
          at: now(),
        }),
    },
    snapshot,
  );
  return verify(outcome, `healthy on v${step.version}`);
}

/** What a pending step waits for: its dependencies in the plan, or a free slot. */
function waitingFor(step: PlannedStep, indexInWave: number, parallelism: number): string {
  if (step.action === 'skip') return step.reason;
  if (step.dependsOn.length > 0) return `waits for ${step.dependsOn.join(', ')} to be verified`;
  if (indexInWave >= parallelism) return `waits for a free slot (${parallelism} at a time)`;
  return `about to start: ${step.reason}`;
}

/** A step a person must look at: what happened, and what they can do. */
function needsReconciling(step: PlannedStep, what: string): string {
  return `needs reconciling: ${what}. Check ${step.service}; then abandon the run, or deploy v${step.version} again from a new plan.`;
}
