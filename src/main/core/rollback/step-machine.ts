/**
 * A rollback level as a step machine: each step says what it will do and what it touches, whether
 * it needs the network, runs, and reports its check. Steps run in order; every start and end goes
 * to the ledger; a failed step can be retried; a step that needs the network waits for it.
 * Stopping early (abandoned, or a failure not retried) first undoes what must not stay half-done
 * (services stopped by a level 3 are started again), then says what is left to do by hand.
 */
import { isReleaseVersion } from '../deploy/versions';
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
  /**
   * What puts things back in a consistent state when the walk stops after this step succeeded
   * (e.g. start the services it stopped). Steps whose effect may stay leave it out.
   */
  undo?(context: Context, log: (text: string) => void): Promise<StepOutcome>;
  /** What is left to do by hand when the walk stops before this step; `touches` by default. */
  byHand?(context: Context): string;
}

export type StepState = 'pending' | 'waiting' | 'running' | 'succeeded' | 'failed' | 'abandoned';

export interface StepProgress {
  id: string;
  title: string;
  touches: string;
  needsNetwork: boolean;
  changesSomething: boolean;
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
  /**
   * Before a step that needs the network: resolves once what it needs answers (true), or false if
   * the walk was abandoned while waiting. `onWaiting` says what it waits for.
   */
  waitForNetwork?: (step: RollbackStep<Context>, onWaiting: (detail: string) => void) => Promise<boolean>;
  /** What went wrong, as the person said it: kept with the walk's end for the post-mortem. */
  reason?: string;
  /** Runs when the walk ends, whatever the outcome (e.g. remove a temporary worktree). */
  cleanup?: (context: Context) => Promise<void>;
  /**
   * The version a succeeded walk moved the service away from (levels 1 and 2): it is marked bad,
   * with the walk's reason, so no plan proposes it again.
   */
  rolledBackFrom?: (context: Context) => string | undefined;
  /** A succeeded walk holds the service in the environment (deploys stop until a person lifts it). */
  holdAfter?: boolean;
}

export interface WalkResult {
  status: 'succeeded' | 'failed' | 'abandoned';
  steps: StepProgress[];
  /** What is left to do by hand, when it did not succeed. */
  leftToDo: string[];
}

export async function walk<Context>(options: WalkOptions<Context>): Promise<WalkResult> {
  const { steps, context } = options;
  const log = options.log ?? (() => undefined);
  const progress: StepProgress[] = steps.map((step) => ({
    id: step.id,
    title: step.title,
    touches: step.touches,
    needsNetwork: step.needsNetwork,
    changesSomething: step.changesSomething,
    state: 'pending',
  }));
  const announce = () => options.onProgress?.(progress.map((step) => ({ ...step })));
  const rollbackName = `Level ${options.level} rollback of ${options.service}`;
  const changes = new Map(steps.map((step) => [step.id, step.changesSomething]));
  const record = async (
    status: 'started' | 'succeeded' | 'failed' | 'cancelled',
    summary: string,
    stepId: string,
    extra: Record<string, unknown> = {},
  ) =>
    options.audit?.record([
      {
        action: 'rollback.step',
        status,
        correlationId: options.correlationId,
        environment: options.environment,
        services: [options.service],
        summary,
        details: { level: options.level, step: stepId, changesSomething: changes.get(stepId) ?? false, ...extra },
      },
    ]);
  const began = Date.now();
  /** The walk's end, once: how it ended and how long it took (MTTR is read from these). */
  const finish = async (result: WalkResult): Promise<WalkResult> => {
    const badVersion = result.status === 'succeeded' ? options.rolledBackFrom?.(context) : undefined;
    const reason = options.reason ?? `level ${options.level} rollback of ${options.service} in ${options.environment}`;
    await options.audit?.record([
      {
        action: 'rollback.finished',
        status: result.status === 'abandoned' ? 'cancelled' : result.status,
        correlationId: options.correlationId,
        environment: options.environment,
        services: [options.service],
        durationMs: Date.now() - began,
        summary: `${rollbackName} ${result.status}${result.leftToDo.length > 0 ? `; left to do: ${result.leftToDo.length} item(s)` : ''}`,
        details: {
          level: options.level,
          ...(options.reason ? { reason: options.reason } : {}),
          changedSomething: result.steps.some((step) => step.state === 'succeeded' && changes.get(step.id) === true),
        },
      },
      ...(result.status === 'succeeded' && options.holdAfter
        ? [
            {
              action: 'hold.placed' as const,
              status: 'info' as const,
              correlationId: options.correlationId,
              environment: options.environment,
              services: [options.service],
              summary: `Hold on ${options.service} in ${options.environment} after its level ${options.level} rollback: ${reason}`,
              details: { reason: `rolled back: ${reason}`, rollbackId: options.correlationId },
            },
          ]
        : []),
      ...(badVersion && isReleaseVersion(badVersion)
        ? [
            {
              action: 'version.marked-bad' as const,
              status: 'info' as const,
              correlationId: options.correlationId,
              environment: options.environment,
              services: [options.service],
              versionTo: badVersion.replace(/^v/, ''),
              summary: `v${badVersion.replace(/^v/, '')} of ${options.service} marked bad: rolled back from in ${options.environment} (${reason})`,
              details: { reason, rollbackId: options.correlationId, level: options.level },
            },
          ]
        : []),
    ]);
    return result;
  };

  /** Undoes what ran (newest first), then lists what is left by hand. */
  const stopAt = async (index: number, status: 'failed' | 'abandoned'): Promise<WalkResult> => {
    for (const rest of progress.slice(status === 'failed' ? index + 1 : index)) rest.state = 'abandoned';
    announce();
    const undoProblems: string[] = [];
    // A failed step may have done part of its work (stopped some services): it is undone too.
    const ran = [...steps.entries()].slice(0, status === 'failed' ? index + 1 : index);
    for (const [doneIndex, step] of ran.reverse()) {
      if (!step.undo || !['succeeded', 'failed'].includes(progress[doneIndex]!.state)) continue;
      await record('started', `${rollbackName}: undo "${step.title}"`, step.id, { undo: true });
      let outcome: StepOutcome;
      try {
        outcome = await step.undo(context, log);
      } catch (error) {
        outcome = { ok: false, detail: (error as Error).message };
      }
      await record(outcome.ok ? 'succeeded' : 'failed', `Undo "${step.title}": ${outcome.detail}`, step.id, {
        undo: true,
      });
      if (!outcome.ok) undoProblems.push(`Undo "${step.title}" failed (${outcome.detail}): ${step.touches}`);
    }
    return {
      status,
      steps: progress,
      leftToDo: [...undoProblems, ...steps.slice(index).map((rest) => rest.byHand?.(context) ?? rest.touches)],
    };
  };

  try {
    announce();
    for (const [index, step] of steps.entries()) {
      if (options.isAbandoned?.() || (step.changesSomething && options.confirm && !(await options.confirm(step)))) {
        await record('cancelled', `${rollbackName} abandoned before "${step.title}"`, step.id);
        return await finish(await stopAt(index, 'abandoned'));
      }
      if (step.needsNetwork && options.waitForNetwork) {
        const isOnline = await options.waitForNetwork(step, (detail) => {
          Object.assign(progress[index]!, { state: 'waiting', detail });
          announce();
        });
        if (!isOnline) {
          await record(
            'cancelled',
            `${rollbackName} abandoned while waiting for the network before "${step.title}"`,
            step.id,
          );
          return await finish(await stopAt(index, 'abandoned'));
        }
      }
      for (let attempt = 1; ; attempt++) {
        const began = Date.now();
        Object.assign(progress[index]!, { state: 'running', detail: undefined });
        announce();
        await record('started', `${rollbackName}: ${step.title}`, step.id);
        let outcome: StepOutcome;
        try {
          outcome = await step.run(context, log);
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
        if (!(await options.shouldRetry?.(progress[index]!, attempt)))
          return await finish(await stopAt(index, 'failed'));
      }
    }
    return await finish({ status: 'succeeded', steps: progress, leftToDo: [] });
  } finally {
    await options.cleanup?.(context);
  }
}
