/**
 * The vault: credentials by name and date, never their values.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { EntityId, noInput, type CommandSpec, type EventSpec } from './common';

export const VaultStatus = z.strictObject({
  backend: z.enum(['os-keychain', 'session-memory']),
  /** False when values last only as long as this session. */
  isPersistent: z.boolean(),
  message: z.string(),
  fix: z.string().optional(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

/** A credential as the renderer may see it: never its value. */
export const CredentialSummary = z.strictObject({
  id: z.string(),
  kind: z.string(),
  description: z.string().optional(),
  environment: z.string().optional(),
  isSet: z.boolean(),
  lastSetAt: z.iso.datetime().optional(),
  rotationDays: z.number().int().positive(),
  rotationDueAt: z.iso.datetime().optional(),
  isRotationDue: z.boolean(),
  /** Why the stored value cannot be a secret (an older version accepted it): replace it. */
  problem: z.string().optional(),
});
export type CredentialSummary = z.infer<typeof CredentialSummary>;

export const CredentialList = z.strictObject({
  status: VaultStatus,
  credentials: z.array(CredentialSummary),
});
export type CredentialList = z.infer<typeof CredentialList>;

/** The commands of this domain, by channel. */
export const credentialsCommands = {
  'credentials:list': {
    summary: 'The credentials the platform declares, whether each is set, and where values are kept.',
    input: noInput,
    output: CredentialList,
  },
  'credentials:set': {
    summary: 'Stores a credential value in the keychain (write-only: it is never sent back).',
    input: z.strictObject({ id: EntityId, value: z.string().min(1).max(65_536) }),
    output: CredentialSummary,
  },
  'credentials:delete': {
    summary: 'Removes a credential value from the keychain.',
    input: z.strictObject({ id: EntityId }),
    output: CredentialSummary,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const credentialsEvents = {
  'credentials:changed': {
    summary: 'Sent after a credential is set or deleted, with the new list (names and dates only).',
    payload: CredentialList,
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
