/**
 * The team: the shared mirror, its sync and the deploy locks across laptops.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { EntityId, noInput, type CommandSpec, type EventSpec } from './common';

/** A deploy lock of the team: who deploys an environment, for which run, until when. */
export const TeamDeployLock = z.strictObject({
  environment: z.string(),
  holder: z.strictObject({ name: z.string(), email: z.string().optional() }),
  runId: z.string(),
  since: z.string(),
  leaseUntil: z.string(),
});
export type TeamDeployLock = z.infer<typeof TeamDeployLock>;

/** How this laptop stands with the team's mirror. */
export const TeamSyncView = z.strictObject({
  isConfigured: z.boolean(),
  lastSyncedAt: z.string().optional(),
  offlineSince: z.string().optional(),
  toShare: z.number().int().nonnegative(),
  problem: z.string().optional(),
  /** Who deploys where, as of the last good sync. */
  deployLocks: z.array(TeamDeployLock).optional(),
});
export type TeamSyncView = z.infer<typeof TeamSyncView>;

export const TeamLocksView = z.strictObject({
  deployLocks: z.array(TeamDeployLock),
  holds: z.array(
    z.strictObject({
      environment: z.string(),
      service: z.string().optional(),
      holder: z.strictObject({ name: z.string(), email: z.string().optional() }),
      reason: z.string(),
      since: z.string(),
      rollbackId: z.string().optional(),
    }),
  ),
  /** Why the deploy locks could not be read from the mirror. */
  problem: z.string().optional(),
});
export type TeamLocksView = z.infer<typeof TeamLocksView>;

/** The commands of this domain, by channel. */
export const teamCommands = {
  'team:status': {
    summary: 'How this laptop stands with the team’s mirror: last sync, offline since, records to share.',
    input: noInput,
    output: TeamSyncView,
  },
  'team:sync': {
    summary: 'Merges this laptop’s ledger with the team’s mirror now (every git call has a deadline).',
    input: noInput,
    output: TeamSyncView,
  },
  'team:locks': {
    summary: 'Who deploys where now (the team’s deploy locks, read from the mirror) and every hold.',
    input: noInput,
    output: TeamLocksView,
  },
  'team:hold': {
    summary:
      'Places (any roster person) or lifts (gate-override) a hold on an environment or one service there, with a reason.',
    input: z.strictObject({
      environment: EntityId,
      service: EntityId.optional(),
      lift: z.boolean().optional(),
      reason: z.string().trim().min(3, 'say why').max(500),
    }),
    output: TeamLocksView,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const teamEvents = {
  'team:sync-changed': {
    summary: 'Sent after each sync with the team’s mirror, good or failed.',
    payload: TeamSyncView,
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
