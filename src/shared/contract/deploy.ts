/**
 * Deploys: the reviewed plan, the run and its log, resume after a crash, promotion, history,
 * versions marked bad.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { EntityId, Reason, RunId, noInput, type CommandSpec, type EventSpec } from './common';

export const GateVerdict = z.enum(['pass', 'warn', 'block', 'unknown']);
export type GateVerdict = z.infer<typeof GateVerdict>;

/** One check's verdict on a step, with what it saw. */
export const StepGate = z.strictObject({
  id: z.string(),
  title: z.string(),
  verdict: GateVerdict,
  evidence: z.string(),
});
export type StepGate = z.infer<typeof StepGate>;

export const DeployStepView = z.strictObject({
  service: z.string(),
  version: z.string(),
  runningVersion: z.string().optional(),
  action: z.enum(['deploy', 'skip']),
  reason: z.string(),
  /** The services of the plan this step waits for. */
  dependsOn: z.array(z.string()),
  /** The checks shown with the plan: the service's health now and the target version's CI. */
  gates: z.array(StepGate).optional(),
});
export type DeployStepView = z.infer<typeof DeployStepView>;

export const PlanWindow = z.strictObject({
  isOpen: z.boolean(),
  reason: z.string(),
  /** A hotfix exception in force, said in words. */
  exception: z.string().optional(),
  nextOpensAt: z.string().optional(),
});

export const BadVersionMarkView = z.strictObject({
  service: z.string(),
  version: z.string(),
  markedBy: z.string(),
  reason: z.string(),
  markedAt: z.string(),
});
export type BadVersionMarkView = z.infer<typeof BadVersionMarkView>;

/** A reviewed plan: what starting it will do, exactly, and everything it was computed from. */
export const DeployPlanView = z.strictObject({
  planId: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  environment: z.string(),
  isProtected: z.boolean(),
  /** For display; the scheduler starts each step once its own dependencies are verified. */
  waves: z.array(z.array(DeployStepView)),
  /** Every gate the deploy meets now, the same list as `cockpit gates`. */
  gates: z.array(StepGate),
  window: PlanWindow,
  /** Bad-version marks that shaped the plan. */
  marks: z.array(BadVersionMarkView),
});
export type DeployPlanView = z.infer<typeof DeployPlanView>;

export const DeployHistoryRun = z.strictObject({
  runId: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  actor: z.strictObject({ name: z.string(), email: z.string().optional() }),
  steps: z.array(
    z.strictObject({ service: z.string(), from: z.string().optional(), to: z.string(), status: z.string() }),
  ),
});
export type DeployHistoryRun = z.infer<typeof DeployHistoryRun>;

export const DeployHistory = z.strictObject({ environment: z.string(), runs: z.array(DeployHistoryRun) });
export type DeployHistory = z.infer<typeof DeployHistory>;

export const DeployStepProgress = z.strictObject({
  service: z.string(),
  version: z.string(),
  status: z.enum(['pending', 'running', 'verifying', 'succeeded', 'failed', 'skipped', 'not-started']),
  detail: z.string(),
  durationMs: z.number().nonnegative().optional(),
});
export type DeployStepProgress = z.infer<typeof DeployStepProgress>;

const DeployRequest = z.strictObject({
  environment: EntityId,
  services: z.array(EntityId).max(200).optional(),
  versions: z
    .record(EntityId, z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'expected a version such as 1.2.3'))
    .optional(),
  /** Deploy a version marked bad anyway, for this reason (recorded). */
  allowBad: Reason.optional(),
});

export const JournaledStepView = z.strictObject({
  service: z.string(),
  version: z.string(),
  /** The step's last state the journal recorded before the interruption. */
  state: z.enum(['pending', 'intent', 'triggered', 'succeeded', 'failed', 'skipped']),
});
export type JournaledStepView = z.infer<typeof JournaledStepView>;

export const DeployRuns = z.strictObject({
  running: z.array(z.strictObject({ runId: z.string(), environment: z.string() })),
  /** Runs the journal shows started and never finished: the cockpit stopped mid-deploy. */
  interrupted: z.array(
    z.strictObject({
      runId: z.string(),
      environment: z.string(),
      startedAt: z.string(),
      steps: z.array(JournaledStepView),
    }),
  ),
});
export type DeployRuns = z.infer<typeof DeployRuns>;

export const PromotionOffer = z.strictObject({
  isOffered: z.boolean(),
  /** Why it is offered or not, in plain words. */
  reason: z.string(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** Service → version that staging runs and that its last successful run deployed. */
  versions: z.record(z.string(), z.string()),
  stagingRunId: z.string().optional(),
});
export type PromotionOffer = z.infer<typeof PromotionOffer>;

const DeployStarted = z.strictObject({ runId: z.string(), plan: DeployPlanView, logFile: z.string() });

/** The commands of this domain, by channel. */
export const deployCommands = {
  'deploy:plan': {
    summary: 'The steps of a deploy in dependency order, in waves, with skips for services already on target.',
    input: DeployRequest,
    output: DeployPlanView,
  },
  'deploy:start': {
    summary:
      'Starts exactly a reviewed plan (refused when anything it was computed from changed, or after 15 min); a protected environment needs its name typed. Progress and logs arrive as events.',
    input: z.strictObject({
      planId: z.string().max(100),
      confirmation: z.string().max(100).optional(),
      /** With the team's mirror out of reach: why the deploy goes without the team lock. */
      withoutTeamLock: z.string().trim().min(10, 'say why in at least 10 characters').max(500).optional(),
    }),
    output: DeployStarted,
  },
  'deploy:history': {
    summary: 'Every run to an environment, newest first: who, when, versions, duration, status.',
    input: z.strictObject({ environment: EntityId }),
    output: DeployHistory,
  },
  'deploy:read-log': {
    summary: 'A run’s full log from its file, redacted (the last 5 MB of a longer one).',
    input: z.strictObject({ runId: RunId }),
    output: z.strictObject({ runId: z.string(), text: z.string(), isTruncated: z.boolean(), file: z.string() }),
  },
  'deploy:mark': {
    summary: 'Marks a version of a service bad (never deployed again unless a person allows it) or good again.',
    input: z.strictObject({
      service: EntityId,
      version: z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'expected a version such as 1.2.3'),
      verdict: z.enum(['bad', 'good']),
      reason: Reason,
    }),
    output: z.strictObject({
      service: z.string(),
      version: z.string(),
      verdict: z.enum(['bad', 'good']),
      markedBy: z.string(),
    }),
  },
  'deploy:cancel': {
    summary: 'Cancels a running deploy: running steps finish, nothing new starts.',
    input: z.strictObject({ runId: z.string().max(100) }),
    output: z.strictObject({}),
  },
  'deploy:log-ack': {
    summary: 'The terminal has parsed this many more characters of a run’s log (flow control).',
    input: z.strictObject({ runId: RunId, characters: z.number().int().nonnegative().max(100_000_000) }),
    output: z.strictObject({}),
  },
  'deploy:runs': {
    summary: 'Deploys running now, and runs interrupted by a crash that wait for resume or abandon.',
    input: noInput,
    output: DeployRuns,
  },
  'deploy:resume': {
    summary: 'Resumes an interrupted run: re-checks each unfinished step before triggering anything.',
    input: z.strictObject({ runId: RunId, allowDowngrade: Reason.optional() }),
    output: DeployStarted,
  },
  'deploy:abandon': {
    summary: 'Closes an interrupted run without touching any service, recording what was left undone.',
    input: z.strictObject({ runId: RunId }),
    output: z.strictObject({}),
  },
  'deploy:promotion': {
    summary: 'Whether staging may be promoted to production: only after a successful staging run of the same versions.',
    input: noInput,
    output: PromotionOffer,
  },
  'deploy:promote': {
    summary:
      'Merges each promoted tag into main (--no-ff), pushes, then starts the reviewed production plan of those versions.',
    input: z.strictObject({ planId: z.string().max(100), confirmation: z.string().max(100).optional() }),
    output: DeployStarted,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const deployEvents = {
  'deploy:step-changed': {
    summary: 'A step of a running deploy changed state.',
    payload: z.strictObject({ runId: z.string(), step: DeployStepProgress }),
  },
  'deploy:log': {
    summary: 'A batch of (redacted) log output of a running deploy.',
    payload: z.strictObject({
      runId: z.string(),
      chunks: z.array(z.strictObject({ service: z.string(), text: z.string() })),
    }),
  },
  'deploy:finished': {
    summary: 'A deploy ended.',
    payload: z.strictObject({
      runId: z.string(),
      status: z.enum(['succeeded', 'failed', 'cancelled']),
      detail: z.string(),
    }),
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
