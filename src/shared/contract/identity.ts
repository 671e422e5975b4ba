/**
 * Who acts: the person and the key that signs their records.
 */
import { z } from 'zod';
import type { CommandChannel } from '../channels';
import { type CommandSpec } from './common';

export const IdentityView = z.strictObject({
  name: z.string(),
  email: z.string().optional(),
  isInRoster: z.boolean(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  /** The signing key in use: where it was found and its fingerprint. */
  key: z.strictObject({ source: z.enum(['settings', 'git', 'none']), fingerprint: z.string().optional() }).optional(),
  /** The key is this person's key in the roster: their approvals and sign-offs count. */
  verified: z.boolean().optional(),
  /** Whether the roster lists signing keys (authority records must be signed). */
  isSigningOn: z.boolean().optional(),
  problem: z.string().optional(),
});
export type IdentityView = z.infer<typeof IdentityView>;

/** The commands of this domain, by channel. */
export const identityCommands = {
  'identity:set-signing-key': {
    summary:
      'Chooses the SSH key approvals and sign-offs are signed with (a key file, or a public key an agent holds); empty uses git’s.',
    input: z.strictObject({ key: z.string().max(2_000) }),
    output: IdentityView,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;
