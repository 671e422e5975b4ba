/**
 * Policy: deployment windows and hotfix exceptions, four-eyes approvals, sign-offs, secret
 * rotation and the watch after a deploy.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { EntityId, GateId, ReleaseName, noInput, type CommandSpec, type EventSpec } from './common';
import { IdentityView } from './identity';

export const WindowState = z.strictObject({
  environment: z.string(),
  timeZone: z.string(),
  hasWindows: z.boolean(),
  isOpen: z.boolean(),
  reason: z.string(),
  closesAt: z.string().optional(),
  secondsLeft: z.number().int().nonnegative().optional(),
  nextOpensAt: z.string().optional(),
  slots: z.array(z.string()),
});

export const HotfixException = z.strictObject({
  approvedBy: z.string(),
  category: z.enum(['security', 'data-corruption']),
  reason: z.string(),
  approvedAt: z.string(),
  expiresAt: z.string(),
  /** The services it opens the window for (absent: every service). */
  services: z.array(z.string()).optional(),
  versions: z.record(z.string(), z.string()).optional(),
  /** Approved by someone other than the requester (four eyes). */
  isIndependent: z.boolean(),
  requestedBy: z.string().optional(),
});
export type HotfixException = z.infer<typeof HotfixException>;

export const WindowView = WindowState.extend({
  /** A hotfix exception in force: the environment is open outside its windows until it expires. */
  hotfixException: HotfixException.optional(),
  /** Exceptions and overrides here are requests a second person approves. */
  fourEyes: z.boolean().optional(),
});
export type WindowState = z.infer<typeof WindowView>;

/** A platform secret's rotation: due date under the policy, and the runbook under way. */
export const SecretRotation = z.strictObject({
  id: z.string(),
  kind: z.string(),
  description: z.string().optional(),
  environment: z.string().optional(),
  owner: z.string().optional(),
  rotationDays: z.number(),
  lastRotatedAt: z.string().optional(),
  dueAt: z.string().optional(),
  daysLeft: z.number().optional(),
  status: z.enum(['ok', 'due-soon', 'overdue', 'never-rotated']),
  runbook: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      doneAt: z.string().optional(),
      by: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
});
export type SecretRotation = z.infer<typeof SecretRotation>;

export const WatchAlert = z.strictObject({
  service: z.string(),
  metric: z.enum(['latency', 'errors']),
  baseline: z.number(),
  current: z.number(),
  factor: z.number(),
  message: z.string(),
});

/** A post-deploy watch: the environment watched since a deploy, until when, and its last reading. */
export const DeployWatch = z.strictObject({
  runId: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  until: z.string(),
  last: z
    .strictObject({ checkedAt: z.string(), alerts: z.array(WatchAlert), problem: z.string().optional() })
    .optional(),
});
export type DeployWatch = z.infer<typeof DeployWatch>;

export const SignoffChecklist = z.strictObject({
  release: z.string(),
  items: z.array(
    z.strictObject({
      id: z.string(),
      section: z.string(),
      title: z.string(),
      signedBy: z.string().optional(),
      signedAt: z.string().optional(),
      note: z.string().optional(),
      /** The sign-off is signed by the person's roster key. */
      verified: z.boolean().optional(),
    }),
  ),
  isComplete: z.boolean(),
});
export type SignoffChecklist = z.infer<typeof SignoffChecklist>;

/** A four-eyes request (hotfix exception or gate override), or a direct one-person approval. */
export const ApprovalView = z.strictObject({
  id: z.string(),
  kind: z.enum(['hotfix-exception', 'gate-override']),
  environment: z.string(),
  services: z.array(z.string()),
  versions: z.record(z.string(), z.string()),
  gates: z.array(z.string()),
  category: z.string().optional(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'expired']),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  decisionReason: z.string().optional(),
  expiresAt: z.string(),
  verified: z.boolean(),
  isIndependent: z.boolean(),
  requestHash: z.string(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

/** The commands of this domain, by channel. */
export const policyCommands = {
  'policy:window': {
    summary: 'Whether deploying to an environment is allowed now, why, and when its next window opens.',
    input: z.strictObject({ environment: EntityId }),
    output: WindowView,
  },
  'policy:identity': {
    summary: 'Who the current user is in the platform’s roster, with their roles and what they may do.',
    input: noInput,
    output: IdentityView,
  },
  'policy:override': {
    summary: 'Lets blocking gates of an environment pass for an hour; needs the gate-override role and a reason.',
    input: z.strictObject({
      environment: EntityId,
      gates: z
        .array(z.string().regex(/^[a-z]+:[a-z0-9-]{1,63}$/, 'expected a gate id such as "ci:auth-service"'))
        .min(1)
        .max(50),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
    }),
    output: z.strictObject({ approvedBy: z.string(), expiresAt: z.string() }),
  },
  'rotation:list': {
    summary: 'The platform’s secrets with their last rotation, due date and the rotation under way.',
    input: z.strictObject({}),
    output: z.strictObject({ secrets: z.array(SecretRotation) }),
  },
  'rotation:check': {
    summary: 'Checks one step of a secret’s rotation runbook (recorded in the ledger).',
    input: z.strictObject({
      secretId: EntityId,
      step: z.enum(['generate', 'staging', 'production', 'deploy', 'validate', 'revoke']),
      note: z.string().trim().max(300).optional(),
    }),
    output: z.strictObject({ secrets: z.array(SecretRotation) }),
  },
  'watch:list': {
    summary: 'The post-deploy watches under way, with their last reading.',
    input: z.strictObject({}),
    output: z.strictObject({ watches: z.array(DeployWatch) }),
  },
  'signoff:checklist': {
    summary: 'The staging acceptance checklist of a release (the next production release by default).',
    input: z.strictObject({ release: ReleaseName.optional() }),
    output: SignoffChecklist,
  },
  'signoff:sign': {
    summary: 'Signs one checklist item as the current user (signoff role), with an optional note.',
    input: z.strictObject({
      release: ReleaseName.optional(),
      item: z.string().regex(/^[a-z0-9-]{1,64}$/),
      note: z.string().trim().max(500).optional(),
    }),
    output: SignoffChecklist,
  },
  'signoff:revoke': {
    summary: 'Withdraws a sign-off of the checklist (signoff role): the item is unsigned again; a reason is required.',
    input: z.strictObject({
      release: ReleaseName.optional(),
      item: z.string().regex(/^[a-z0-9-]{1,64}$/),
      reason: z.string().trim().min(1).max(500),
    }),
    output: SignoffChecklist,
  },
  'approvals:list': {
    summary: 'Every hotfix exception and gate override request, newest first, with its state (four eyes).',
    input: noInput,
    output: z.strictObject({ approvals: z.array(ApprovalView) }),
  },
  'approvals:request-exception': {
    summary: 'Asks for a hotfix exception for some services (and versions); another person with the role approves it.',
    input: z.strictObject({
      environment: EntityId,
      category: z.enum(['security', 'data-corruption']),
      services: z.array(EntityId).min(1, 'name at least one service').max(50),
      versions: z.record(EntityId, z.string().max(100)).optional(),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
      hours: z.number().positive().max(168).optional(),
    }),
    output: ApprovalView,
  },
  'approvals:request-override': {
    summary: 'Asks for blocking gates of an environment to pass for an hour; another person with the role approves it.',
    input: z.strictObject({
      environment: EntityId,
      gates: z.array(GateId).min(1).max(50),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
    }),
    output: ApprovalView,
  },
  'approvals:decide': {
    summary: 'Approves or rejects a request (not one’s own where four eyes applies); a rejection needs a reason.',
    input: z.strictObject({
      id: z.string().uuid(),
      decision: z.enum(['approved', 'rejected']),
      reason: z.string().trim().max(500).optional(),
    }),
    output: ApprovalView,
  },
  'policy:approve-hotfix': {
    summary:
      'Approves a hotfix exception (security or data corruption): the environment opens outside its windows for the hotfix hours.',
    input: z.strictObject({
      environment: EntityId,
      category: z.enum(['security', 'data-corruption']),
      reason: z.string().trim().min(10, 'say why in at least 10 characters').max(500),
    }),
    output: HotfixException,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const policyEvents = {
  'watch:changed': {
    summary: 'A post-deploy watch started, was read or ended.',
    payload: z.strictObject({ watches: z.array(DeployWatch) }),
  },
  'watch:alerted': {
    summary: 'After a deploy, latency or errors passed their alert level against the baseline.',
    payload: z.strictObject({ runId: z.string(), environment: z.string(), alerts: z.array(WatchAlert) }),
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
