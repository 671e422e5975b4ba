/**
 * Plans with identity: each plan a person reviews is kept in the data folder (0600) under its id,
 * so the deploy that starts is exactly the plan that was shown — from this process or another
 * (the app plans, the CLI starts, or the other way round) — and never one older than 15 minutes.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  BadVersionMarkView,
  DeployStepView,
  PlanWindow,
  StepGate,
  type DeployPlanView,
} from '../../../shared/contract';
import { writeFileAtomic } from '../atomic-file';
import { compare } from 'semver';
import { CockpitError } from '../errors';
import { stepFields, type DeployPlan } from './plan';

/** How long a plan may wait between review and start. */
export const planLifetimeMs = 15 * 60_000;

const PlanId = z.string().regex(/^plan-[0-9TZ-]+-[0-9a-f]{8}$/);

export const StoredStep = DeployStepView.omit({ gates: true }).extend({ gates: z.array(StepGate).optional() });

export const StoredPlan = z.object({
  planId: PlanId,
  platformId: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  environment: z.string(),
  isProtected: z.boolean(),
  /** What was asked for, to compute the plan again at start and compare. */
  request: z.object({
    services: z.array(z.string()).optional(),
    versions: z.record(z.string(), z.string()).optional(),
    allowBad: z.string().optional(),
  }),
  waves: z.array(z.array(StoredStep)),
  gates: z.array(StepGate),
  window: PlanWindow,
  /** The bad-version marks that shaped the plan. */
  marks: z.array(BadVersionMarkView),
});
export type StoredPlan = z.infer<typeof StoredPlan>;
export type StoredPlanInput = Omit<StoredPlan, 'planId' | 'createdAt' | 'expiresAt'>;

export class PlanStore {
  constructor(
    private readonly folder: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  static folder(dataDir: string, platformId: string): string {
    return path.join(dataDir, 'plans', platformId);
  }

  /** Keeps a new plan and returns it with its id, time and expiry. */
  async save(plan: StoredPlanInput): Promise<StoredPlan> {
    const now = this.clock();
    const planId = `plan-${now
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
    const stored: StoredPlan = {
      planId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + planLifetimeMs).toISOString(),
      ...plan,
    };
    await writeFileAtomic(this.file(planId), `${JSON.stringify(stored, null, 2)}\n`);
    void this.forgetOld().catch(() => undefined);
    return stored;
  }

  /** The plan with this id, or NOT_FOUND / PLAN_EXPIRED saying what to do. */
  async load(planId: string): Promise<StoredPlan> {
    if (!PlanId.safeParse(planId).success)
      throw new CockpitError('BAD_INPUT', `"${planId.slice(0, 80)}" is not a plan id (plan-<time>-<8 hex digits>).`);
    let parsed: StoredPlan;
    try {
      parsed = StoredPlan.parse(JSON.parse(await readFile(this.file(planId), 'utf8')));
    } catch {
      throw new CockpitError('NOT_FOUND', `There is no plan ${planId}: plan the deploy again.`);
    }
    const ageMinutes = Math.round((this.clock().getTime() - Date.parse(parsed.createdAt)) / 60_000);
    if (this.clock().getTime() > Date.parse(parsed.expiresAt))
      throw new CockpitError(
        'PLAN_EXPIRED',
        `Plan ${planId} was made ${ageMinutes} min ago and expired after ${planLifetimeMs / 60_000} min: plan again and review it.`,
      );
    return parsed;
  }

  private file(planId: string): string {
    return path.join(this.folder, `${planId}.json`);
  }

  /** Plans are evidence of a review for a day, then they go. */
  private async forgetOld(): Promise<void> {
    const cutoff = this.clock().getTime() - 24 * 3_600_000;
    for (const name of await readdir(this.folder)) {
      const file = path.join(this.folder, name);
      if (name.endsWith('.json') && (await stat(file)).mtimeMs < cutoff) await rm(file, { force: true });
    }
  }
}

/** A kept plan as the review shows it. */
export function planView(stored: StoredPlan): DeployPlanView {
  return {
    planId: stored.planId,
    createdAt: stored.createdAt,
    expiresAt: stored.expiresAt,
    environment: stored.environment,
    isProtected: stored.isProtected,
    waves: stored.waves.map((wave) => wave.map((step) => ({ ...step }))),
    gates: stored.gates,
    window: stored.window,
    marks: stored.marks,
  };
}

/** The view of a resumed run's plan (it was reviewed when the run first started). */
export function resumedView(plan: DeployPlan, runId: string, now: Date): DeployPlanView {
  return {
    planId: `resumed-${runId}`.slice(0, 100),
    createdAt: now.toISOString(),
    expiresAt: now.toISOString(),
    environment: plan.environment,
    isProtected: false,
    waves: plan.waves.map((wave) => wave.map(stepFields)),
    gates: [],
    window: { isOpen: true, reason: 'Resumed after an interruption.' },
    marks: [],
  };
}

/** A run id: sortable by time, unique. */
export function newRunId(now: Date): string {
  return `${now
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

/** Whether `running` is a later version than `target`. */
export function isNewer(running: string, target: string): boolean {
  try {
    return compare(running, target) > 0;
  } catch {
    return false;
  }
}
