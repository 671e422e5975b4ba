/**
 * Authority in the ledger: which records carry it (an approval, an override, a sign-off, a
 * production deploy start…), the bytes a signature covers, and whether a record's signature
 * verifies for the person it names with a key of *this* laptop's roster, and whether the roster
 * grants that person the permission. Gates, the window and the marks believe only the records
 * that pass (`trustedRecords`); `cockpit ledger verify` lists every one that does not.
 *
 * Signing is on for a platform once its roster lists a signing key. Before that, authority is
 * the roster's word for the named person (still re-checked: a record naming someone outside the
 * roster, or without the role, never counts). Unsigned authority records older than the first
 * signed one are "unsigned (before signing)": listed, not failures, and not believed by gates.
 */
import { createHash } from 'node:crypto';
import type { LedgerActor, LedgerEntry, LedgerRecord } from '../../../shared/ledger-record';
import { canonicalJson } from '../ledger/canonical-json';
import type { Permission, Platform } from '../platform/schema';
import { rosterMatch } from '../policy/roles';
import { keyBlob, parseSignature, verifySignature, type SshFormatError, type SshPublicKey } from './sshsig';

type Person = Platform['roster']['people'][number];

/** What a record's authority is: the permissions any of which allows it, in words. */
export interface Authority {
  /** Empty: any person of the roster. */
  anyOf: Permission[];
  what: string;
}

/** The kind of a four-eyes request or of a direct approval. */
export type ApprovalKind = 'hotfix-exception' | 'gate-override';

const kindPermission: Record<ApprovalKind, Permission> = {
  'hotfix-exception': 'hotfix-exception',
  'gate-override': 'gate-override',
};

function isProtected(platform: Platform, environment: string | undefined): boolean {
  return platform.environments.some((candidate) => candidate.id === environment && candidate.protected);
}

/** The authority an entry carries, or none. `requestKind` is the kind of the request a decision answers. */
export function authorityOf(
  entry: Pick<LedgerEntry, 'action' | 'status' | 'environment' | 'details'>,
  platform: Platform,
): Authority | undefined {
  const details = entry.details ?? {};
  const kind = details.kind as ApprovalKind | undefined;
  switch (entry.action) {
    case 'approval.requested':
      return {
        anyOf: ['production-deploy', kindPermission[kind as ApprovalKind] ?? 'gate-override'],
        what: kind === 'hotfix-exception' ? 'a hotfix exception request' : 'a gate override request',
      };
    case 'approval': {
      const requestKind = (details.requestKind ?? kind) as ApprovalKind | undefined;
      return {
        anyOf: [kindPermission[requestKind as ApprovalKind] ?? 'hotfix-exception'],
        what: details.decision === 'rejected' ? 'a rejection' : 'an approval',
      };
    }
    case 'override':
      if (details.kind === 'allow-bad' || details.kind === 'allow-downgrade' || details.kind === 'without-team-lock')
        return {
          anyOf: isProtected(platform, entry.environment) ? ['production-deploy'] : [],
          what:
            details.kind === 'allow-bad'
              ? 'deploying a version marked bad'
              : details.kind === 'allow-downgrade'
                ? 'a downgrade on resume'
                : 'a deploy without the team lock',
        };
      return { anyOf: ['gate-override'], what: 'a gate override' };
    case 'signoff':
      return { anyOf: ['signoff'], what: details.revoked === true ? 'a sign-off revocation' : 'a sign-off' };
    case 'hold.placed':
      // A rollback's own hold is its consequence, not a person's authority (and only restricts).
      return typeof details.rollbackId === 'string' ? undefined : { anyOf: [], what: 'a hold' };
    case 'hold.lifted':
      return { anyOf: ['gate-override'], what: 'lifting a hold' };
    case 'version.marked-good':
      return { anyOf: ['production-deploy', 'gate-override'], what: 'lifting a bad mark' };
    case 'deploy.started':
      return entry.status === 'started' && isProtected(platform, entry.environment)
        ? { anyOf: ['production-deploy'], what: 'a production deploy' }
        : undefined;
    case 'rollback.started':
      return details.level === 3 ? { anyOf: ['rollback-level-3'], what: 'a level 3 rollback' } : undefined;
    default:
      return undefined;
  }
}

/** Whether records of this platform must be signed: its roster lists a signing key. */
export function isSigningOn(platform: Platform): boolean {
  return platform.roster.people.some((person) => person.signingKeys.length > 0);
}

/** The bytes a record's signature covers: the record without its chain fields and signature. */
export function signedBytes(record: Omit<LedgerRecord, 'seq' | 'prevHash' | 'hash' | 'signature'>): Buffer {
  const {
    seq: _seq,
    prevHash: _prevHash,
    hash: _hash,
    signature: _signature,
    ...content
  } = record as Partial<LedgerRecord>;
  return Buffer.from(canonicalJson(content), 'utf8');
}

/** A record's identity across merges (which re-link and renumber): the hash of its signed bytes. */
export function contentHash(record: Omit<LedgerRecord, 'seq' | 'prevHash' | 'hash' | 'signature'>): string {
  return createHash('sha256').update(signedBytes(record)).digest('hex');
}

/** The roster's person a record names: by e-mail, then by name. */
export function personNamed(platform: Platform, actor: { name: string; email?: string }): Person | undefined {
  const lower = (text: string | undefined) => text?.trim().toLowerCase();
  const { people } = platform.roster;
  return (
    (actor.email ? people.find((person) => lower(person.email) === lower(actor.email)) : undefined) ??
    people.find((person) => lower(person.name) === lower(actor.name))
  );
}

/**
 * The ledger's actor for the person at this laptop: their roster entry when the roster knows them
 * (by git e-mail, git name or OS user), so records name the person the roster and the signature
 * checks know; else their git or OS identity as it is.
 */
export function rosterActor(platform: Platform, actor: LedgerActor, osUser?: string): LedgerActor {
  const person = rosterMatch(platform, { name: actor.name, email: actor.email, osUser }).person;
  if (!person) return actor;
  const email = person.email ?? actor.email;
  return { name: person.name, ...(email ? { email } : {}), source: 'roster' };
}

/** Whether the roster lists `key` among the person's signing keys. */
export function holdsKey(person: Person, key: SshPublicKey): boolean {
  const blob = key.blob.toString('base64');
  return person.signingKeys.some((line) => keyBlob(line) === blob);
}

export function permissionsOf(platform: Platform, person: Person | undefined): Set<Permission> {
  return new Set((person?.roles ?? []).flatMap((role) => platform.roster.roles[role] ?? []));
}

export type AuthorityStatus =
  | 'verified'
  | 'roster'
  | 'unsigned-before-signing'
  | 'missing'
  | 'invalid'
  | 'unknown-key'
  | 'not-in-roster'
  | 'wrong-role'
  | 'left';

export interface AuthorityCheck {
  status: AuthorityStatus;
  /** Whether gates may believe the record. */
  isTrusted: boolean;
  /** Whether `ledger verify` fails on it. */
  isFailure: boolean;
  message: string;
  /** The key that signed, when one did. */
  fingerprint?: string;
}

const failure = (status: AuthorityStatus, message: string, fingerprint?: string): AuthorityCheck => ({
  status,
  isTrusted: false,
  isFailure: true,
  message,
  ...(fingerprint ? { fingerprint } : {}),
});

/**
 * Checks one authority record. `isBeforeSigning`: no signed record precedes it in the chain.
 */
export function checkAuthority(
  record: LedgerRecord,
  authority: Authority,
  platform: Platform,
  isBeforeSigning: boolean,
): AuthorityCheck {
  const person = personNamed(platform, record.actor);
  const who = `${record.actor.name}${record.actor.email ? ` <${record.actor.email}>` : ''}`;
  const roleProblem = () => {
    if (!person) return failure('not-in-roster', `${authority.what} by ${who}, who is not in this platform's roster`);
    if (person.leftOn && record.time.slice(0, 10) >= person.leftOn)
      return failure('left', `${authority.what} by ${person.name}, who left the team on ${person.leftOn}`);
    const granted = permissionsOf(platform, person);
    if (authority.anyOf.length > 0 && !authority.anyOf.some((permission) => granted.has(permission)))
      return failure(
        'wrong-role',
        `${authority.what} by ${person.name} (${person.roles.join(', ')}), whose roles do not grant ${authority.anyOf.join(' or ')}`,
      );
    return undefined;
  };
  if (!record.signature) {
    if (!isSigningOn(platform)) {
      return (
        roleProblem() ?? {
          status: 'roster',
          isTrusted: true,
          isFailure: false,
          message: `${authority.what} by ${person!.name} (unsigned: the roster lists no signing keys)`,
        }
      );
    }
    if (isBeforeSigning)
      return {
        status: 'unsigned-before-signing',
        isTrusted: false,
        isFailure: false,
        message: `${authority.what} by ${who}: unsigned (before signing)`,
      };
    return failure('missing', `${authority.what} by ${who} is not signed`);
  }
  let signature;
  try {
    signature = parseSignature(record.signature);
  } catch (error) {
    return failure(
      'invalid',
      `${authority.what} by ${who}: the signature is damaged (${(error as SshFormatError).message})`,
    );
  }
  const { fingerprint } = signature.publicKey;
  if (!verifySignature(signature, signedBytes(record)))
    return failure(
      'invalid',
      `${authority.what} by ${who}: the signature does not match the record (it was changed after signing)`,
      fingerprint,
    );
  const problem = roleProblem();
  if (problem) return { ...problem, fingerprint };
  const isTheirs = holdsKey(person!, signature.publicKey);
  if (!isTheirs) {
    const owner = platform.roster.people.find((candidate) => holdsKey(candidate, signature.publicKey));
    return failure(
      'unknown-key',
      `${authority.what} names ${person!.name} but is signed with ${owner ? `${owner.name}'s key` : `a key not in the roster`} (${fingerprint})`,
      fingerprint,
    );
  }
  return {
    status: 'verified',
    isTrusted: true,
    isFailure: false,
    message: `${authority.what} by ${person!.name}, signed (${fingerprint})`,
    fingerprint,
  };
}

export interface AuthorityFinding extends AuthorityCheck {
  seq: number;
  id: string;
  action: LedgerRecord['action'];
}

const memo = new WeakMap<Platform, Map<string, AuthorityCheck>>();

/** Every authority record of the chain, checked (oldest first). */
export function checkAuthorityRecords(records: readonly LedgerRecord[], platform: Platform): AuthorityFinding[] {
  const cache = memo.get(platform) ?? new Map<string, AuthorityCheck>();
  memo.set(platform, cache);
  const findings: AuthorityFinding[] = [];
  let hasSigned = false;
  for (const record of records) {
    const authority = authorityOf(record, platform);
    if (!authority) continue;
    const key = `${record.hash}:${hasSigned}`;
    let check = cache.get(key);
    if (!check) {
      check = checkAuthority(record, authority, platform, !hasSigned);
      cache.set(key, check);
    }
    if (record.signature) hasSigned = true;
    findings.push({ ...check, seq: record.seq, id: record.id, action: record.action });
  }
  return findings;
}

/** The records gates may believe: every record but the authority records that do not verify. */
export function trustedRecords(records: readonly LedgerRecord[], platform: Platform): LedgerRecord[] {
  const untrusted = new Set(
    checkAuthorityRecords(records, platform)
      .filter((finding) => !finding.isTrusted)
      .map((finding) => finding.id),
  );
  return untrusted.size === 0 ? [...records] : records.filter((record) => !untrusted.has(record.id));
}
