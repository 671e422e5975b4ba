/**
 * Authority records signed with real SSH keys (ssh-keygen), checked against the roster: forged
 * records are ignored by the gates and named by the verification; four eyes; an exception opens
 * the window for its services only; a ledger from before signing; the anchor.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerActor, LedgerRecord } from '../../../../src/shared/ledger-record';
import { checkAuthorityRecords, signedBytes, trustedRecords } from '../../../../src/main/core/identity/authority';
import { createRecordSigner } from '../../../../src/main/core/identity/record-signer';
import { loadSigningKey, signWithKey } from '../../../../src/main/core/identity/signing-key';
import { parsePublicKey, parseSignature, verifySignature } from '../../../../src/main/core/identity/sshsig';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { seal, serializeRecord } from '../../../../src/main/core/ledger/chain';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import type { Platform } from '../../../../src/main/core/platform/schema';
import { PolicyService } from '../../../../src/main/core/policy/policy-service';
import { SignoffBook } from '../../../../src/main/core/policy/signoffs';
import { freezeAroundToday, makeKey, writeTeamPlatform, type TestKey } from '../../../helpers/ssh-identity';

let root: string;
let keys: Record<'ana' | 'tom' | 'quinn' | 'mallory', TestKey>;
const people = {
  ana: { name: 'Ana Release', email: 'ana@penpal-ai.example', roles: ['release-manager'] },
  tom: { name: 'Tom Lead', email: 'tom@penpal-ai.example', roles: ['tech-lead'] },
  quinn: { name: 'Quinn QA', email: 'quinn@penpal-ai.example', roles: ['qa'] },
};
type Who = keyof typeof people;

async function platformWith(options: { signing: boolean; fourEyes?: boolean }): Promise<Platform> {
  const file = path.join(mkdtempSync(path.join(root, 'platform-')), 'platform.yaml');
  writeTeamPlatform(
    file,
    (Object.keys(people) as Who[]).map((who) => ({
      ...people[who],
      ...(options.signing ? { signingKeys: [keys[who].publicLine] } : {}),
    })),
    { freezes: freezeAroundToday(), ...(options.fourEyes === undefined ? {} : { fourEyes: options.fourEyes }) },
  );
  const loaded = await loadPlatformFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.platform;
}

const actorOf = (who: Who): LedgerActor => ({ name: people[who].name, email: people[who].email, source: 'git' });

/** One person's cockpit on a shared ledger folder: ledger (signing with their key), policy, sign-offs. */
function cockpitOf(platform: Platform, folder: string, who: Who, key: TestKey | null = keys[who]) {
  const actor = actorOf(who);
  const ledger = new Ledger({
    folder,
    platformId: platform.id,
    actor,
    signer: createRecordSigner({ platform, actor, settingsKey: key?.privateFile ?? path.join(root, 'no-such-key') }),
  });
  const audit = new AuditTrail(ledger, () => undefined);
  const identity = { name: actor.name, email: actor.email };
  const clock = () => new Date();
  const signoffs = new SignoffBook({ platform, audit, identity, clock });
  return { ledger, signoffs, policy: new PolicyService({ platform, audit, identity, clock, signoffs }) };
}

/** Appends forged records to the file and re-chains it with a fresh anchor: a valid chain. */
function rechainWith(ledger: Ledger, change: (records: LedgerRecord[]) => LedgerRecord[]) {
  const records = readFileSync(ledger.paths.file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LedgerRecord);
  let previous = '0'.repeat(64);
  const relinked = change(records).map((record, index) => {
    const { hash: _hash, ...content } = record;
    const sealed = seal({ ...content, seq: index + 1, prevHash: previous });
    previous = sealed.hash;
    return sealed;
  });
  writeFileSync(ledger.paths.file, relinked.map((record) => `${serializeRecord(record)}\n`).join(''));
  writeFileSync(ledger.paths.anchor, JSON.stringify({ count: relinked.length, hash: previous }));
  return relinked;
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-identity-'));
  keys = {
    ana: makeKey(path.join(root, 'keys'), 'ana'),
    tom: makeKey(path.join(root, 'keys'), 'tom'),
    quinn: makeKey(path.join(root, 'keys'), 'quinn'),
    mallory: makeKey(path.join(root, 'keys'), 'mallory'),
  };
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SSHSIG', () => {
  it("verifies ssh-keygen's signatures for Ed25519, RSA and ECDSA keys, and nothing else", () => {
    const message = path.join(root, 'message.txt');
    writeFileSync(message, 'deploy auth-service v2.2.0');
    for (const type of ['ed25519', 'rsa', 'ecdsa']) {
      const key = makeKey(path.join(root, 'types'), `key-${type}`, { type });
      expect(parsePublicKey(key.publicLine).fingerprint).toBe(key.fingerprint);
      for (const namespace of ['release-cockpit', 'git']) {
        rmSync(`${message}.sig`, { force: true });
        execFileSync('ssh-keygen', ['-Y', 'sign', '-n', namespace, '-f', key.privateFile, message], {
          stdio: 'ignore',
        });
        const signature = parseSignature(readFileSync(`${message}.sig`, 'utf8'));
        expect(signature.publicKey.fingerprint).toBe(key.fingerprint);
        expect(verifySignature(signature, readFileSync(message))).toBe(namespace === 'release-cockpit');
        expect(verifySignature(signature, Buffer.from('deploy auth-service v2.2.1'))).toBe(false);
      }
    }
  });

  it('signs so that `ssh-keygen -Y verify` accepts it', async () => {
    const key = await loadSigningKey({ source: 'settings', value: keys.ana.privateFile });
    const message = Buffer.from('{"action":"approval"}');
    const armored = await signWithKey(key, message);
    const signers = path.join(root, 'allowed_signers');
    writeFileSync(signers, `ana@penpal-ai.example namespaces="release-cockpit" ${keys.ana.publicLine}\n`);
    const signatureFile = path.join(root, 'ana.sig');
    writeFileSync(signatureFile, `${armored}\n`);
    const verify = (input: Buffer) =>
      spawnSync(
        'ssh-keygen',
        ['-Y', 'verify', '-f', signers, '-I', 'ana@penpal-ai.example', '-n', 'release-cockpit', '-s', signatureFile],
        { input },
      ).status;
    expect(verify(message)).toBe(0);
    expect(verify(Buffer.from('{"action":"approvaL"}'))).not.toBe(0);
  });
});

describe('signed authority', () => {
  it('signs approvals and sign-offs; a forged record is ignored by the gates and named with its line', async () => {
    const platform = await platformWith({ signing: true, fourEyes: true });
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    const ana = cockpitOf(platform, folder, 'ana');
    const tom = cockpitOf(platform, folder, 'tom');
    const quinn = cockpitOf(platform, folder, 'quinn');
    await quinn.signoffs.sign('2026-12-03', 'blocker-auth', 'checked on staging');
    const request = await ana.policy.requestException('production', {
      category: 'security',
      services: ['auth-service'],
      reason: 'CVE-2026-1234 in the JWT library',
    });
    const records = await ana.ledger.readAll();
    expect(records.every((record) => record.signature?.startsWith('-----BEGIN SSH SIGNATURE-----'))).toBe(true);
    expect(checkAuthorityRecords(records, platform).map((finding) => finding.status)).toEqual(['verified', 'verified']);

    // Forgeries, each re-chained so the chain itself is valid: Tom's approval unsigned, signed
    // with Mallory's key, and Tom's real approval of another request moved onto this one.
    const forgedApproval = (signature?: string): LedgerRecord => {
      const content = {
        action: 'approval' as const,
        status: 'succeeded' as const,
        environment: 'production',
        summary: 'Approved',
        details: {
          requestId: request.id,
          requestHash: request.requestHash,
          requestKind: 'hotfix-exception',
          decision: 'approved',
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
        id: `forged-${signature ? 'signed' : 'unsigned'}`,
        time: new Date().toISOString(),
        actor: actorOf('tom'),
        platform: platform.id,
      };
      return { ...content, ...(signature ? { signature } : {}), seq: 0, prevHash: '', hash: '' } as LedgerRecord;
    };
    const mallory = await loadSigningKey({ source: 'settings', value: keys.mallory.privateFile });
    const unsigned = forgedApproval();
    const withMallorysKey = forgedApproval('placeholder');
    withMallorysKey.signature = await signWithKey(mallory, signedBytes(withMallorysKey));
    rechainWith(ana.ledger, (existing) => [...existing, unsigned, withMallorysKey]);
    expect((await ana.ledger.verify()).isValid).toBe(true);
    const findings = checkAuthorityRecords(await ana.ledger.readAll(), platform);
    expect(findings.filter((finding) => finding.isFailure).map((finding) => [finding.seq, finding.status])).toEqual([
      [3, 'missing'],
      [4, 'unknown-key'],
    ]);
    expect((await tom.policy.approvals())[0]).toMatchObject({ id: request.id, status: 'pending' });
    await expect(ana.policy.authorizeDeploy('production', { 'auth-service': '2.2.1' })).rejects.toMatchObject({
      code: 'WINDOW_CLOSED',
    });

    // A byte changed in Quinn's signed sign-off, re-chained: the signature no longer matches.
    rechainWith(ana.ledger, (existing) =>
      existing.map((record) =>
        record.seq === 1 ? { ...record, details: { ...record.details, note: 'checked' } } : record,
      ),
    );
    const afterEdit = checkAuthorityRecords(await ana.ledger.readAll(), platform);
    expect(afterEdit[0]).toMatchObject({ seq: 1, status: 'invalid', isTrusted: false });
    expect(
      (await ana.signoffs.checklist('2026-12-03')).items.find((item) => item.id === 'blocker-auth')?.signedBy,
    ).toBe(undefined);
    const trusted = trustedRecords(await ana.ledger.readAll(), platform);
    expect(
      trusted
        .filter((record) => record.signature !== undefined || record.action === 'approval')
        .map((record) => record.seq),
    ).toEqual([2]);
  });

  it('four eyes: the requester cannot approve; another approver can; the exception lets only its services through', async () => {
    const platform = await platformWith({ signing: true, fourEyes: true });
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    const ana = cockpitOf(platform, folder, 'ana');
    const tom = cockpitOf(platform, folder, 'tom');
    await expect(ana.policy.approveHotfix('production', 'security', 'CVE in the JWT library')).rejects.toThrow(
      /Four eyes applies to production/,
    );
    const request = await ana.policy.requestException('production', {
      category: 'security',
      services: ['auth-service'],
      versions: { 'auth-service': '2.2.1' },
      reason: 'CVE-2026-1234 in the JWT library',
      hours: 2,
    });
    await expect(ana.policy.decide(request.id, 'approved')).rejects.toThrow(/four eyes needs another .*Tom Lead/);
    const approved = await tom.policy.decide(request.id, 'approved', 'checked the patch');
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'Tom Lead', isIndependent: true, verified: true });
    await expect(tom.policy.decide(request.id, 'rejected', 'changed my mind')).rejects.toThrow(/is approved/);

    const gates = await ana.policy.authorizeDeploy('production', { 'auth-service': '2.2.1' });
    expect(gates.find((gate) => gate.id.startsWith('signoff:'))).toMatchObject({
      verdict: 'warn',
      evidence: expect.stringContaining('hotfix exception for auth-service v2.2.1 until'),
    });
    await expect(ana.policy.authorizeDeploy('production', { 'auth-service': '2.3.0' })).rejects.toMatchObject({
      code: 'WINDOW_CLOSED',
    });
    await expect(
      ana.policy.authorizeDeploy('production', { 'auth-service': '2.2.1', 'payment-service': '1.4.0' }),
    ).rejects.toThrow(/payment-service is not part of it/);
    const assessment = await ana.policy.assess('production', { 'payment-service': '1.4.0' });
    expect(assessment.window).toMatchObject({
      isOpen: false,
      exception: expect.stringContaining('not for this deploy'),
    });
  });

  it('without four eyes, a self-approval counts and says it is not independent', async () => {
    const platform = await platformWith({ signing: true, fourEyes: false });
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    const ana = cockpitOf(platform, folder, 'ana');
    const request = await ana.policy.requestOverride('production', ['ci:auth-service'], 'runner outage, green locally');
    expect(await ana.policy.decide(request.id, 'approved')).toMatchObject({ status: 'approved', isIndependent: false });
  });

  it('refuses to write authority without a usable key, before anything is written', async () => {
    const platform = await platformWith({ signing: true });
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    const request = { category: 'security' as const, services: ['auth-service'], reason: 'CVE in the JWT library' };
    await expect(
      cockpitOf(platform, folder, 'ana', keys.mallory).policy.requestException('production', request),
    ).rejects.toMatchObject({
      code: 'IDENTITY_UNVERIFIED',
      message: expect.stringContaining(`your key ${keys.mallory.fingerprint} is not one of Ana Release's signing keys`),
    });
    await expect(
      cockpitOf(platform, folder, 'ana', null).policy.requestException('production', request),
    ).rejects.toMatchObject({
      code: 'SIGNING_KEY',
    });
    const encrypted = makeKey(path.join(root, 'keys'), 'encrypted', { passphrase: 'correct horse' });
    const protectedPlatform = await platformWith({ signing: true });
    protectedPlatform.roster.people[0]!.signingKeys = [encrypted.publicLine];
    await expect(
      cockpitOf(protectedPlatform, folder, 'ana', encrypted).policy.requestException('production', request),
    ).rejects.toMatchObject({
      code: 'SIGNING_KEY',
      message: expect.stringContaining(`ssh-add ${encrypted.privateFile}`),
    });
    expect(existsOrEmpty(folder)).toBe(true);
  });

  it('signs with a key the SSH agent holds, even one protected by a passphrase', async () => {
    const encrypted = makeKey(path.join(root, 'agent'), 'held', { passphrase: 'correct horse' });
    const socket = path.join(root, 'agent', 'agent.sock');
    const agent = spawnSync('ssh-agent', ['-a', socket], { encoding: 'utf8' });
    const pid = /SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1];
    const askpass = path.join(root, 'agent', 'askpass.sh');
    writeFileSync(askpass, '#!/bin/sh\necho "correct horse"\n', { mode: 0o700 });
    const added = spawnSync('ssh-add', [encrypted.privateFile], {
      env: { ...process.env, SSH_AUTH_SOCK: socket, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    expect(added.status).toBe(0);
    const previous = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = socket;
    try {
      const platform = await platformWith({ signing: true });
      platform.roster.people[0]!.signingKeys = [encrypted.publicLine];
      const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
      // Settings name the public key only: nothing but the agent can sign with it.
      const ana = cockpitOf(platform, folder, 'ana', { ...encrypted, privateFile: encrypted.publicLine });
      await ana.policy.requestException('production', {
        category: 'security',
        services: ['auth-service'],
        reason: 'CVE in the JWT library',
      });
      expect(checkAuthorityRecords(await ana.ledger.readAll(), platform)[0]).toMatchObject({ status: 'verified' });
    } finally {
      if (previous === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = previous;
      if (pid) process.kill(Number(pid));
    }
  });

  it('lists records written before signing, without failing, and believes none of them', async () => {
    const before = await platformWith({ signing: false });
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    const quinn = cockpitOf(before, folder, 'quinn');
    await quinn.signoffs.sign('2026-12-03', 'tablet');
    // Unsigned and no keys in the roster: the roster's word counts, a stranger's never.
    expect(checkAuthorityRecords(await quinn.ledger.readAll(), before)[0]).toMatchObject({
      status: 'roster',
      isTrusted: true,
    });
    const after = await platformWith({ signing: true });
    await cockpitOf(after, folder, 'quinn').signoffs.sign('2026-12-03', 'browser-edge');
    const findings = checkAuthorityRecords(await quinn.ledger.readAll(), after);
    expect(findings.map((finding) => [finding.seq, finding.status, finding.isFailure])).toEqual([
      [1, 'unsigned-before-signing', false],
      [2, 'verified', false],
    ]);
    expect(findings[0]!.message).toContain('unsigned (before signing)');
  });
});

describe('a person who left', () => {
  it('keeps what they signed before leaving; nothing after counts', async () => {
    const platform = await platformWith({ signing: true });
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    await cockpitOf(platform, folder, 'quinn').signoffs.sign('2026-12-03', 'tablet');
    const records = await new Ledger({ folder, platformId: platform.id, actor: actorOf('quinn') }).readAll();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const leaving = (leftOn: string) => {
      const copy = structuredClone(platform);
      copy.roster.people.find((person) => person.name === 'Quinn QA')!.leftOn = leftOn;
      return copy;
    };
    expect(checkAuthorityRecords(records, leaving(day(1)))[0]).toMatchObject({ status: 'verified' });
    expect(checkAuthorityRecords(records, leaving(day(0)))[0]).toMatchObject({
      status: 'left',
      isTrusted: false,
      message: expect.stringContaining(`left the team on ${day(0)}`),
    });
  });
});

describe('the anchor', () => {
  it('reports a deleted or garbled anchor on a non-empty ledger', async () => {
    const folder = path.join(mkdtempSync(path.join(root, 'ledger-')), 'ledger');
    const ledger = new Ledger({ folder, platformId: 'penpal-ai', actor: actorOf('ana') });
    expect((await ledger.verify()).isValid).toBe(true);
    await ledger.append([{ action: 'deploy.step', status: 'succeeded', summary: 'step' }]);
    expect((await ledger.verify()).isValid).toBe(true);
    writeFileSync(ledger.paths.anchor, '{"count": ');
    expect((await ledger.verify()).problem?.message).toMatch(/anchor ledger\.anchor\.json is unreadable/);
    rmSync(ledger.paths.anchor);
    expect(await ledger.verify()).toMatchObject({
      isValid: false,
      problem: { line: 1, message: expect.stringMatching(/anchor ledger\.anchor\.json is missing/) },
    });
  });
});

function existsOrEmpty(folder: string): boolean {
  try {
    return readFileSync(path.join(folder, 'ledger.jsonl'), 'utf8') === '';
  } catch {
    return true;
  }
}
