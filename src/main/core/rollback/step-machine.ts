/**
 * A rollback level as a step machine: each step says what it will do and what it touches, whether
 * it needs the network, runs, and reports its check. Steps run in order; every start and end goes
 * to the ledger; a failed step can be retried; abandoning stops before the next step and says
 * what is left to do.
 */
import type { AuditTrail } from '../ledger/audit-trail';

export interface StepOutcome {
  ok: boolean;
  /** The check, in words: what was verified or why it failed. */
  detail: string;
}

export interface RollbackStep<Context> {
  id: string;
  title: string;
  /** What the step will do and what it touches, shown before it runs. */
  touches: string;
  needsNetwork: boolean;
  /** Whether the step changes something (services, repositories, data): confirmed before it runs. */
  changesSomething: boolean;
  run(context: Context, log: (text: string) => void): Promise<StepOutcome>;
}

export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'abandoned';

export interface StepProgress {
  id: string;
  title: string;
  state: StepState;
  detail?: string;
  elapsedMs?: number;
}

export interface WalkOptions<Context> {
  level: 1 | 2 | 3;
  service: string;
  environment: string;
  steps: RollbackStep<Context>[];
  context: Context;
  audit?: AuditTrail;
  correlationId: string;
  log?: (text: string) => void;
  onProgress?: (steps: StepProgress[]) => void;
  /** Asked after a failure: retry the step (true) or stop (false). */
  shouldRetry?: (step: StepProgress, attempt: number) => Promise<boolean>;
  /** Checked before each step: stop here and leave the rest undone. */
  isAbandoned?: () => boolean;
  /** Asked before a step that changes something; false abandons the walk there. */
  confirm?: (step: RollbackStep<Context>) => Promise<boolean>;
}

export interface WalkResult {
  status: 'succeeded' | 'failed' | 'abandoned';
  steps: StepProgress[];
  /** What is left to do by hand, when it did not succeed. */
  leftToDo: string[];
}

export async function walk<Context>(options: WalkOptions<Context>): Promise<WalkResult> {
  const progress: StepProgress[] = options.steps.map((step) => ({ id: step.id, title: step.title, state: 'pending' }));
  const announce = () => options.onProgress?.(progress.map((step) => ({ ...step })));
  const record = async (status: 'started' | 'succeeded' | 'failed' | 'cancelled', summary: string, stepId: string) =>
    options.audit?.record([
      {
        action: 'rollback.step',
        status,
        correlationId: options.correlationId,
        environment: options.environment,
        services: [options.service],
        summary,
        details: { level: options.level, step: stepId },
      },
    ]);
  announce();
  for (const [index, step] of options.steps.entries()) {
    if (options.isAbandoned?.() || (step.changesSomething && options.confirm && !(await options.confirm(step)))) {
      for (const rest of progress.slice(index)) rest.state = 'abandoned';
      announce();
      await record(
        'cancelled',
        `Level ${options.level} rollback of ${options.service} abandoned before "${step.title}"`,
        step.id,
      );
      return { status: 'abandoned', steps: progress, leftToDo: options.steps.slice(index).map((rest) => rest.touches) };
    }
    for (let attempt = 1; ; attempt++) {
      const began = Date.now();
      progress[index]!.state = 'running';
      announce();
      await record('started', `Level ${options.level} rollback of ${options.service}: ${step.title}`, step.id);
      let outcome: StepOutcome;
      try {
        outcome = await step.run(options.context, options.log ?? (() => undefined));
      } catch (error) {
        outcome = { ok: false, detail: (error as Error).message };
      }
      Object.assign(progress[index]!, {
        state: outcome.ok ? 'succeeded' : 'failed',
        detail: outcome.detail,
        elapsedMs: Date.now() - began,
      });
      announce();
      await record(outcome.ok ? 'succeeded' : 'failed', `${step.title}: ${outcome.detail}`, step.id);
      if (outcome.ok) break;
      if (!(await options.shouldRetry?.(progress[index]!, attempt))) {
        for (const rest of progress.slice(index + 1)) rest.state = 'abandoned';
        announce();
        return {
          status: 'failed',
          steps: progress,
          leftToDo: options.steps.slice(index).map((rest) => rest.touches),
        };
      }
    }
  }
  return { status: 'succeeded', steps: progress, leftToDo: [] };
}
