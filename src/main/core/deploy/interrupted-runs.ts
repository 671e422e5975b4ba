/**
 * Runs a crash interrupted: the list a (re)loaded window offers, the plan a resume runs again,
 * the refusal of a resume that would undo what was deployed since, and abandoning a run.
 */
import type { DeployRuns } from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import { journaledRuns, journaledSteps, type DeployJournal, type JournalEntry, type JournaledStep } from './journal';
import type { DeployPlan } from './plan';
import { isNewer } from './plan-store';
import { runningVersions } from './targets';

/** The journaled runs that did not finish (and do not run here now), with each step's state. */
export async function interruptedRunViews(
  journalFolder: string,
  isRunning: (runId: string) => boolean,
): Promise<DeployRuns['interrupted']> {
  const interrupted: DeployRuns['interrupted'] = [];
  for (const run of await journaledRuns(journalFolder)) {
    if (run.finished || isRunning(run.runId)) continue;
    const started = run.entries.find((entry) => entry.kind === 'run-started');
    if (started?.kind !== 'run-started') continue;
    const steps = journaledSteps(run.entries);
    interrupted.push({
      runId: run.runId,
      environment: run.environment,
      startedAt: run.startedAt,
      steps: started.waves.flat().map((step) => ({
        service: step.service,
        version: step.version,
        state: steps.get(step.service)?.state ?? 'pending',
      })),
    });
  }
  return interrupted;
}

/** The plan of an interrupted run, as its journal's start recorded it. */
export function resumedPlan(started: Extract<JournalEntry, { kind: 'run-started' }>): DeployPlan {
  return {
    environment: started.environment,
    waves: started.waves.map((wave) =>
      wave.map((step) => ({
        service: step.service,
        version: step.version,
        ...(step.runningVersion ? { runningVersion: step.runningVersion } : {}),
        action: step.action === 'skip' ? 'skip' : 'deploy',
        reason: step.reason ?? 'resumed after an interruption',
        dependsOn: step.dependsOn ?? [],
      })),
    ),
  };
}

/**
 * Refuses a resume whose targets are older than what runs now (deployed since the run started)
 * unless `allowDowngrade` says why — then the reason is recorded.
 */
export async function requireDowngradeAllowed(
  options: { platform: Platform; prober: HealthProber; audit: AuditTrail },
  runId: string,
  plan: DeployPlan,
  states: Map<string, JournaledStep>,
  allowDowngrade: string | undefined,
): Promise<void> {
  const unfinished = plan.waves
    .flat()
    .filter(
      (step) => step.action === 'deploy' && !['succeeded', 'failed'].includes(states.get(step.service)?.state ?? ''),
    );
  const now = await runningVersions(
    options.platform,
    plan.environment,
    options.prober,
    unfinished.map((step) => step.service),
  );
  // A downgrade the run itself planned (the service still runs what the run saw) goes on; one
  // that would undo something deployed since the run started needs a person's reason.
  const downgrades = unfinished.filter((step) => {
    const current = now[step.service];
    return current !== undefined && current !== step.runningVersion && isNewer(current, step.version);
  });
  if (downgrades.length > 0 && !allowDowngrade)
    throw new CockpitError(
      'PLAN_STALE',
      `Resuming ${runId} would take ${downgrades.map((step) => `${step.service} from v${now[step.service]} back to v${step.version}`).join(', ')}: what runs now is newer than the run's targets. Abandon the run, or resume with a reason to downgrade (--allow-downgrade "<reason>").`,
      { services: downgrades.map((step) => step.service) },
    );
  if (downgrades.length > 0)
    await options.audit.record([
      {
        action: 'override',
        status: 'info',
        correlationId: runId,
        environment: plan.environment,
        services: downgrades.map((step) => step.service),
        summary: `Resuming ${runId} downgrades ${downgrades.map((step) => `${step.service} v${now[step.service]} → v${step.version}`).join(', ')}: ${allowDowngrade}`,
        details: { kind: 'allow-downgrade', reason: allowDowngrade },
      },
    ]);
}

/** Closes an interrupted run without touching any service; the ledger says what was left undone. */
export async function abandonRun(
  journal: DeployJournal,
  runId: string,
  audit: AuditTrail,
  clock: () => Date,
): Promise<void> {
  const entries = await journal.read();
  const started = entries.find((entry) => entry.kind === 'run-started');
  const unfinished = [...journaledSteps(entries)]
    .filter(([, step]) => !['succeeded', 'failed', 'skipped'].includes(step.state))
    .map(([service, step]) => `${service} (${step.state})`);
  await journal.append({ kind: 'run-finished', status: 'abandoned', at: clock().toISOString() });
  await audit.record([
    {
      action: 'deploy.finished',
      status: 'cancelled',
      correlationId: runId,
      environment: started?.kind === 'run-started' ? started.environment : undefined,
      summary: `Interrupted deploy ${runId} abandoned; left undone: ${unfinished.join(', ') || 'nothing'}. Check those services in the matrix.`,
    },
  ]);
}
