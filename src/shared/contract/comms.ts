/**
 * Communication: the outbox of notices, the notices of a deploy, the post-mortem draft.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { EntityId, type CommandSpec, type EventSpec } from './common';

/** A message in the outbox, as the renderer sees it (the webhook URL never leaves the vault). */
export const OutboxMessage = z.strictObject({
  id: z.string(),
  channel: z.string(),
  kind: z.string(),
  text: z.string(),
  queuedAt: z.string(),
  correlationId: z.string().optional(),
  state: z.enum(['queued', 'sending', 'retrying', 'sent', 'rejected', 'cancelled', 'uncertain']),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().optional(),
  sentAt: z.string().optional(),
  lastError: z.string().optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

/** The commands of this domain, by channel. */
export const commsCommands = {
  'postmortem:draft': {
    summary: 'A post-mortem draft in the manual’s template from the ledger’s record of a rollback.',
    input: z.strictObject({ rollbackId: z.string().regex(/^rollback-[0-9A-Za-z-]{1,80}$/) }),
    output: z.strictObject({ markdown: z.string() }),
  },
  'comms:deploy-notices': {
    summary: 'The notices of a deploy run (started, finished, release announcement), filled from the ledger.',
    input: z.strictObject({ runId: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._:-]{0,99}$/) }),
    output: z.strictObject({
      started: z.string(),
      finished: z.string().optional(),
      announcement: z.string().optional(),
    }),
  },
  'comms:outbox': {
    summary: 'The messages of the outbox: waiting, sent, refused, cancelled or uncertain.',
    input: z.strictObject({}),
    output: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'comms:cancel': {
    summary: 'Cancels a message not sent yet.',
    input: z.strictObject({ messageId: z.uuid() }),
    output: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'comms:resolve': {
    summary:
      'A person’s word on a message whose sending was cut short (send it again, or it did arrive), or on a rejected one (send it again).',
    input: z.strictObject({ messageId: z.uuid(), resolution: z.enum(['resend', 'mark-sent']) }),
    output: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
  'comms:test-channel': {
    summary: 'Posts a test message to a Slack channel’s webhook now, to check it is set up right (recorded).',
    input: z.strictObject({ channel: EntityId }),
    output: z.strictObject({ channel: z.string(), isSent: z.boolean(), detail: z.string() }),
  },
  'comms:queue': {
    summary: 'Queues a message for a Slack channel of the platform (the outbox sends it when it can).',
    input: z.strictObject({
      channel: EntityId,
      kind: z.enum(['rollback-notice', 'maintenance-notice', 'deploy-notice', 'release-announcement']),
      text: z.string().trim().min(1).max(4_000),
      correlationId: z.string().max(100).optional(),
    }),
    output: z.strictObject({ messageId: z.string(), queuedAt: z.string() }),
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const commsEvents = {
  'comms:outbox-changed': {
    summary: 'A message was queued, sent, retried, refused, cancelled or became uncertain.',
    payload: z.strictObject({ messages: z.array(OutboxMessage) }),
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
