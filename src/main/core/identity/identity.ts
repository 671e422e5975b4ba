/**
 * Who the person at this laptop is, as this platform's roster sees them: their git identity, the
 * roster's roles, and whether their signing key is one of the roster's keys for them (what makes
 * their approvals and sign-offs count).
 */
import type { LedgerActor } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import { holdsKey, isSigningOn, personNamed } from './authority';
import type { SshPublicKey } from './sshsig';
import { loadSigningKey, signingKeySetting, type KeySource } from './signing-key';

export interface IdentityReport {
  name: string;
  email?: string;
  roles: string[];
  key: { source: KeySource; fingerprint?: string };
  /** The key is one of this person's keys in the roster. */
  verified: boolean;
  /** The roster lists signing keys: authority records must be signed to count. */
  isSigningOn: boolean;
  /** What stands between the person and a verified identity, in words. */
  problem?: string;
}

export async function identityReport(
  platform: Platform,
  actor: LedgerActor,
  settingsKey?: string,
): Promise<IdentityReport> {
  const person = personNamed(platform, actor);
  const setting = await signingKeySetting(settingsKey);
  const base = {
    name: person?.name ?? actor.name,
    ...((person?.email ?? actor.email) ? { email: person?.email ?? actor.email } : {}),
    roles: person?.roles ?? [],
  };
  let publicKey: SshPublicKey | undefined;
  let keyProblem: string | undefined;
  try {
    publicKey = (await loadSigningKey(setting)).publicKey;
  } catch (error) {
    keyProblem = error instanceof CockpitError ? error.message : (error as Error).message;
  }
  const fingerprint = publicKey?.fingerprint;
  const key = { source: setting.source, ...(fingerprint ? { fingerprint } : {}) };
  const verified = person !== undefined && publicKey !== undefined && holdsKey(person, publicKey);
  const problem = !person
    ? `${actor.name}${actor.email ? ` <${actor.email}>` : ''} is not in the roster of ${platform.name}: ask for your name, e-mail, roles and public key to be added under "roster.people".`
    : keyProblem
      ? keyProblem
      : !verified
        ? `Your key ${fingerprint} is not one of ${person.name}'s signing keys in the roster of ${platform.name}${isSigningOn(platform) ? ': your approvals and sign-offs would not count' : ''}. Add it to their "signingKeys".`
        : person.leftOn
          ? `${person.name} left the team on ${person.leftOn}.`
          : undefined;
  return {
    ...base,
    key,
    verified: verified && !person?.leftOn,
    isSigningOn: isSigningOn(platform),
    ...(problem ? { problem } : {}),
  };
}
