/**
 * Rollback: triage, the level's runbook, its walk step by step.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { EntityId, type CommandSpec, type EventSpec } from './common';

/** One step of a level's runbook: what it does, what it touches, whether it needs the network. */
export const RunbookStep = z.strictObject({
  id: z.string(),
  title: z.string(),
  touches: z.string(),
  needsNetwork: z.boolean(),
  changesSomething: z.boolean(),
});
export type RunbookStep = z.infer<typeof RunbookStep>;

export const RollbackTriage = z.strictObject({
  service: z.string(),
  environment: z.string(),
  symptom: z.string(),
  health: z.strictObject({ status: z.string(), version: z.string().optional(), detail: z.string().optional() }),
  /** The matrix's last-known state, when the service does not answer now. */
  lastKnown: z
    .strictObject({ version: z.string().optional(), lastUpAt: z.string().optional(), checkedAt: z.string().optional() })
    .optional(),
  previousStable: z.string().optional(),
  lastDeployments: z.array(
    z.strictObject({
      at: z.string(),
      from: z.string().optional(),
      to: z.string().optional(),
      status: z.string(),
      by: z.string(),
    }),
  ),
  recommendedLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  why: z.string(),
  levels: z.array(
    z.strictObject({
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      title: z.string(),
      targetMinutes: z.number(),
      isAvailable: z.boolean(),
      note: z.string(),
      /** What the level does, step by step: readable offline. */
      runbook: z.array(RunbookStep),
    }),
  ),
});
export type RollbackTriage = z.infer<typeof RollbackTriage>;

/** What a level 2 or 3 rollback can choose from: the commits of the bad range, or the backups. */
export const RollbackChoices = z.strictObject({
  level: z.union([z.literal(2), z.literal(3)]),
  running: z.string().optional(),
  goodVersion: z.string().optional(),
  commits: z
    .array(z.strictObject({ hash: z.string(), subject: z.string(), author: z.string(), date: z.string() }))
    .optional(),
  backups: z.array(z.strictObject({ id: z.string(), takenAt: z.string(), sizeBytes: z.number() })).optional(),
  /** Level 3: the services stopped and restarted, in dependency order. */
  affected: z.array(z.string()).optional(),
  /** Why nothing can be chosen (no ledger history, no backup folder…), with what to do. */
  problem: z.string().optional(),
});
export type RollbackChoices = z.infer<typeof RollbackChoices>;

export const RollbackStepProgress = RunbookStep.extend({
  state: z.enum(['pending', 'waiting', 'running', 'succeeded', 'failed', 'abandoned']),
  detail: z.string().optional(),
  elapsedMs: z.number().nonnegative().optional(),
});
export type RollbackStepProgress = z.infer<typeof RollbackStepProgress>;

/** The commands of this domain, by channel. */
export const rollbackCommands = {
  'rollback:triage': {
    summary: 'From a symptom and a service: the live state, the last deployments and the recommended level.',
    input: z.strictObject({
      service: EntityId,
      environment: EntityId,
      symptom: z.enum(['functional-bug', 'service-loss', 'data-corruption', 'security-breach']),
    }),
    output: RollbackTriage,
  },
  'rollback:choices': {
    summary: 'What a level 2 or 3 rollback can choose from: the commits to revert, or the backups to restore.',
    input: z.strictObject({ service: EntityId, environment: EntityId, level: z.union([z.literal(2), z.literal(3)]) }),
    output: RollbackChoices,
  },
  'rollback:start': {
    summary: 'Starts a rollback at a level; progress, questions and output arrive as events.',
    input: z.strictObject({
      service: EntityId,
      environment: EntityId,
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      /** Level 1: the version to go back to (the previous stable one by default). */
      to: z
        .string()
        .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/)
        .optional(),
      /** Level 2: the commits to revert. */
      commits: z
        .array(z.string().regex(/^[0-9a-f]{7,40}$/i, 'expected a commit hash (7 to 40 hexadecimal digits)'))
        .min(1)
        .max(20)
        .optional(),
      /** Level 3: the backup's id (its name in the backup folder) and the environment's name, typed. */
      backup: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/, 'expected a backup name from the list')
        .optional(),
      confirmation: z.string().max(100).optional(),
      /** What went wrong, for the notices and the ledger. */
      reason: z.string().trim().max(500).optional(),
    }),
    output: z.strictObject({ rollbackId: z.string() }),
  },
  'rollback:decide': {
    summary: 'Answers the running rollback: go on with the step it shows, retry the failed step, or abandon.',
    input: z.strictObject({
      rollbackId: z.string().regex(/^rollback-[0-9A-Za-z-]{1,80}$/),
      decision: z.enum(['continue', 'retry', 'abandon']),
    }),
    output: z.strictObject({ detail: z.string() }),
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const rollbackEvents = {
  'rollback:progress': {
    summary: 'A rollback step changed state, the rollback waits for an answer, or it ended.',
    payload: z.strictObject({
      rollbackId: z.string(),
      level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      service: z.string(),
      environment: z.string(),
      targetMinutes: z.number(),
      startedAt: z.iso.datetime(),
      status: z.enum(['running', 'succeeded', 'failed', 'abandoned']),
      steps: z.array(RollbackStepProgress),
      leftToDo: z.array(z.string()),
      elapsedMs: z.number().nonnegative(),
      /** The question the walk waits on: go on with a step that changes something, or retry a failed one. */
      awaiting: z
        .strictObject({ kind: z.enum(['confirm', 'retry']), stepId: z.string(), question: z.string() })
        .optional(),
      /** The notices filled from what is known so far; the maintenance notice once users are affected. */
      notices: z.strictObject({ internal: z.string(), maintenance: z.string().optional() }).optional(),
    }),
  },
  'rollback:output': {
    summary: 'Output of the running step (redacted), batched.',
    payload: z.strictObject({ rollbackId: z.string(), text: z.string() }),
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
