/**
 * What an auditor reads: every authority record of a ledger checked against this platform's
 * roster (for `cockpit ledger verify`), and the signed records exported so that OpenSSH alone
 * checks them (`ssh-keygen -Y verify`), no cockpit needed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger-record';
import type { Platform } from '../platform/schema';
import { checkAuthorityRecords, contentHash, personNamed, signedBytes, type AuthorityStatus } from './authority';
import { signatureNamespace } from './sshsig';

export interface AuthorityProblem {
  /** The record's line in the ledger file (its seq). */
  line: number;
  id: string;
  action: string;
  status: AuthorityStatus;
  message: string;
}

export interface AuthorityReport {
  checked: number;
  verified: number;
  failures: AuthorityProblem[];
  unsignedBeforeSigning: AuthorityProblem[];
  /** A record's identity across merges, to compare copies of the ledger. */
  contentOf: (record: LedgerRecord) => string;
}

export function verifyAuthority(records: readonly LedgerRecord[], platform: Platform): AuthorityReport {
  const findings = checkAuthorityRecords(records, platform);
  const problem = (finding: (typeof findings)[number]): AuthorityProblem => ({
    line: finding.seq,
    id: finding.id,
    action: finding.action,
    status: finding.status,
    message: finding.message,
  });
  return {
    checked: findings.length,
    verified: findings.filter((finding) => finding.status === 'verified').length,
    failures: findings.filter((finding) => finding.isFailure).map(problem),
    unsignedBeforeSigning: findings.filter((finding) => finding.status === 'unsigned-before-signing').map(problem),
    contentOf: contentHash,
  };
}

/**
 * Writes `<seq>.msg` (the signed bytes) and `<seq>.sig` for every signed record, `allowed_signers`
 * (principal: the person's e-mail, namespace release-cockpit; a person who left gets
 * `valid-before`) and `signers.txt` (seq, principal, action, time), all 0600.
 */
export async function exportSignatures(
  records: readonly LedgerRecord[],
  platform: Platform,
  folder: string,
): Promise<{ records: number; signers: number }> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const principal = (person: Platform['roster']['people'][number]) =>
    person.email ?? person.name.replaceAll(/[^A-Za-z0-9._@+-]/g, '-');
  const index: string[] = [];
  let count = 0;
  for (const record of records) {
    if (!record.signature) continue;
    const person = personNamed(platform, record.actor);
    await writeFile(path.join(folder, `${record.seq}.msg`), signedBytes(record), { mode: 0o600 });
    await writeFile(path.join(folder, `${record.seq}.sig`), `${record.signature.trim()}\n`, { mode: 0o600 });
    index.push(
      `${record.seq}\t${person ? principal(person) : `(not in the roster: ${record.actor.email ?? record.actor.name})`}\t${record.action}\t${record.time}`,
    );
    count++;
  }
  const signers = platform.roster.people.flatMap((person) =>
    person.signingKeys.map((key) => {
      const [type, base64] = key.trim().split(/\s+/);
      const validBefore = person.leftOn ? `,valid-before="${person.leftOn.replaceAll('-', '')}"` : '';
      return `${principal(person)} namespaces="${signatureNamespace}"${validBefore} ${type} ${base64}`;
    }),
  );
  await writeFile(path.join(folder, 'allowed_signers'), signers.map((line) => `${line}\n`).join(''), { mode: 0o600 });
  await writeFile(path.join(folder, 'signers.txt'), index.map((line) => `${line}\n`).join(''), { mode: 0o600 });
  return { records: count, signers: signers.length };
}
