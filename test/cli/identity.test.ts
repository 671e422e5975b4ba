/**
 * Identity and four eyes from the terminal, as a team would use them: each person a HOME of their
 * own (git identity, `gpg.format=ssh`, a real ssh-keygen key), one shared ledger, `cockpit`
 * run as a child process. An auditor checks the export with `ssh-keygen -Y verify` alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../src/shared/ledger-record';
import { seal, serializeRecord } from '../../src/main/core/ledger/chain';
import { runCockpit } from '../helpers/cockpit-cli';
import { freezeAroundToday, makePerson, writeTeamPlatform, type TestPerson } from '../helpers/ssh-identity';

let root: string;
let dataDir: string;
let platformFile: string;
let ana: TestPerson;
let tom: TestPerson;
let mallory: TestPerson;

function as(person: TestPerson, args: string[]) {
  return runCockpit([...args, '--platform', platformFile], {
    ...process.env,
    HOME: person.home,
    COCKPIT_DATA_DIR: dataDir,
    SSH_AUTH_SOCK: '',
  });
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-team-'));
  dataDir = path.join(root, 'data');
  ana = makePerson(root, 'Ana Release', 'ana@penpal-ai.example', ['release-manager']);
  tom = makePerson(root, 'Tom Lead', 'tom@penpal-ai.example', ['tech-lead']);
  mallory = makePerson(root, 'Mallory', 'mallory@elsewhere.example', []);
  platformFile = writeTeamPlatform(
    path.join(root, 'platform.yaml'),
    [ana, tom].map(({ name, email, roles, key }) => ({ name, email, roles, signingKeys: [key.publicLine] })),
    { freezes: freezeAroundToday(), fourEyes: true },
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cockpit identity', () => {
  it("reports the person's roster entry and git signing key, verified against the roster", async () => {
    const result = await as(ana, ['identity', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'Ana Release',
      email: 'ana@penpal-ai.example',
      roles: ['release-manager'],
      key: { source: 'git', fingerprint: ana.key.fingerprint },
      verified: true,
    });
    const stranger = await as(mallory, ['identity', '--json']);
    expect(stranger.code).toBe(1);
    expect(JSON.parse(stranger.stdout)).toMatchObject({
      verified: false,
      key: { source: 'git', fingerprint: mallory.key.fingerprint },
      problem: expect.stringContaining('is not in the roster'),
    });
    expect((await as(ana, ['identity', '--help'])).stdout).toContain('Usage: cockpit identity');
  });
});

describe('four eyes from two laptops', () => {
  it('a request, refused to its requester, approved by another; every signature verifies with ssh-keygen alone', async () => {
    const requested = await as(ana, [
      'exception',
      'request',
      'production',
      '--category',
      'security',
      '--services',
      'auth-service',
      '--versions',
      'auth-service=2.2.1',
      '--reason',
      'CVE-2026-1234 in the JWT library',
      '--json',
    ]);
    expect(requested.code, requested.stderr).toBe(0);
    const { id } = JSON.parse(requested.stdout) as { id: string };

    const own = await as(ana, ['approve', id]);
    expect(own).toMatchObject({ code: 1, stderr: expect.stringContaining('four eyes needs another') });
    const stranger = await as(mallory, ['approve', id]);
    expect(stranger).toMatchObject({ code: 1, stderr: expect.stringContaining("not in the platform's roster") });
    const approved = await as(tom, ['approve', id, '--reason', 'patch reviewed']);
    expect(approved.code, approved.stderr).toBe(0);

    const listed = JSON.parse((await as(ana, ['approvals', '--json'])).stdout) as { approvals: unknown[] };
    expect(listed.approvals).toEqual([
      expect.objectContaining({
        id,
        kind: 'hotfix-exception',
        environment: 'production',
        services: ['auth-service'],
        versions: { 'auth-service': '2.2.1' },
        reason: 'CVE-2026-1234 in the JWT library',
        requestedBy: 'Ana Release',
        status: 'approved',
        decidedBy: 'Tom Lead',
        verified: true,
      }),
    ]);

    // `cockpit window` says the exception is open, for its services.
    const window = await as(ana, ['window', 'production', '--json']);
    expect(JSON.parse(window.stdout)).toMatchObject({
      hotfixException: {
        category: 'security',
        approvedBy: 'Tom Lead',
        services: ['auth-service'],
        isIndependent: true,
      },
    });
    expect((await as(ana, ['window', 'production'])).stdout).toContain('A hotfix exception is open until ');

    const verified = await as(ana, ['ledger', 'verify', '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      isValid: true,
      authority: { checked: 2, verified: 2, failures: [] },
    });

    const exported = path.join(root, 'audit');
    expect((await as(ana, ['ledger', 'export', '--signatures', exported])).code).toBe(0);
    const signers = readFileSync(path.join(exported, 'signers.txt'), 'utf8').trim().split('\n');
    expect(signers).toHaveLength(2);
    for (const line of signers) {
      const [seq, principal] = line.split('\t');
      const check = spawnSync(
        'ssh-keygen',
        [
          '-Y',
          'verify',
          '-f',
          path.join(exported, 'allowed_signers'),
          '-I',
          principal!,
          '-n',
          'release-cockpit',
          '-s',
          path.join(exported, `${seq}.sig`),
        ],
        { input: readFileSync(path.join(exported, `${seq}.msg`)) },
      );
      expect(check.status, check.stderr.toString()).toBe(0);
    }
    expect(readdirSync(exported).sort()).toEqual([
      '1.msg',
      '1.sig',
      '2.msg',
      '2.sig',
      'allowed_signers',
      'signers.txt',
    ]);
  });

  it('`ledger verify` names each forged authority record by its line, even in a re-chained ledger, and exits 1', async () => {
    const file = path.join(dataDir, 'ledger', 'penpal-ai', 'ledger.jsonl');
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LedgerRecord);
    const approval = records.find((record) => record.action === 'approval')!;
    const forged: LedgerRecord[] = [
      // Tom's approval replayed with its signature dropped…
      { ...approval, id: 'replayed-unsigned', signature: undefined },
      // …and with a byte of its content changed (the reason).
      { ...approval, id: 'edited', details: { ...approval.details, reason: 'patch reviewed!' } },
    ];
    let previous = '0'.repeat(64);
    const rechained = [...records, ...forged].map((record, index) => {
      const { hash: _hash, ...content } = record;
      const sealed = seal({ ...content, seq: index + 1, prevHash: previous });
      previous = sealed.hash;
      return sealed;
    });
    writeFileSync(file, rechained.map((record) => `${serializeRecord(record)}\n`).join(''));
    writeFileSync(
      path.join(path.dirname(file), 'ledger.anchor.json'),
      JSON.stringify({ count: rechained.length, hash: previous }),
    );

    const result = await as(ana, ['ledger', 'verify']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('chain intact');
    const line = records.length + 1;
    expect(result.stderr).toContain(
      `${file}:${line}: missing: an approval by Tom Lead <tom@penpal-ai.example> is not signed`,
    );
    expect(result.stderr).toContain(`${file}:${line + 1}: invalid:`);
  });

  it('signs, lists and withdraws checklist items from the terminal', async () => {
    const signed = await as(tom, ['signoff', 'blocker-auth', '--release', '2026-12-03', '--note', 'login checked']);
    expect(signed.code, signed.stderr).toBe(0);
    const list = async () =>
      (
        JSON.parse((await as(ana, ['signoff', '--list', '--release', '2026-12-03', '--json'])).stdout) as {
          items: { id: string; signedBy?: string; verified?: boolean; note?: string }[];
        }
      ).items.find((item) => item.id === 'blocker-auth');
    expect(await list()).toMatchObject({ signedBy: 'Tom Lead', verified: true, note: 'login checked' });
    expect((await as(mallory, ['signoff', 'blocker-auth', '--release', '2026-12-03'])).code).toBe(1);
    const revoked = await as(tom, [
      'signoff',
      '--revoke',
      'blocker-auth',
      '--release',
      '2026-12-03',
      '--reason',
      'regression found',
    ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await list())?.signedBy).toBeUndefined();
  });

  it('across laptops: an exception asked on one, approved on the other, and a sign-off, all through the mirror', async () => {
    const mirror = path.join(root, 'team-mirror.git');
    spawnSync('git', ['init', '--quiet', '--bare', mirror]);
    const teamPlatform = writeTeamPlatform(
      path.join(root, 'team-platform.yaml'),
      [ana, tom].map(({ name, email, roles, key }) => ({ name, email, roles, signingKeys: [key.publicLine] })),
      { freezes: freezeAroundToday() },
      { ledger: { mirror: { repo: mirror } } },
    );
    const laptop = (person: TestPerson, args: string[]) =>
      runCockpit([...args, '--platform', teamPlatform], {
        ...process.env,
        HOME: person.home,
        COCKPIT_DATA_DIR: path.join(root, `data-${person.email}`),
        SSH_AUTH_SOCK: '',
      });
    const asked = await laptop(ana, [
      'exception',
      'request',
      'production',
      '--category',
      'security',
      '--services',
      'auth-service',
      '--reason',
      'CVE-2026-9999 in the session library',
      '--json',
    ]);
    expect(asked.code, asked.stderr).toBe(0);
    const { id } = JSON.parse(asked.stdout) as { id: string };
    // Four eyes is on by default with a mirror: Ana cannot approve her own request.
    expect((await laptop(ana, ['approve', id])).stderr).toContain('four eyes needs another');
    const approved = await laptop(tom, ['approve', id, '--reason', 'reviewed']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(await laptop(tom, ['signoff', 'blocker-payments', '--release', '2026-12-03'])).toMatchObject({ code: 0 });
    const seen = JSON.parse((await laptop(ana, ['approvals', '--json'])).stdout) as {
      approvals: { id: string; status: string }[];
    };
    expect(seen.approvals).toEqual([
      expect.objectContaining({ id, status: 'approved', decidedBy: 'Tom Lead', verified: true }),
    ]);
    const checklist = JSON.parse(
      (await laptop(ana, ['signoff', '--list', '--release', '2026-12-03', '--json'])).stdout,
    ) as { items: { id: string; signedBy?: string; verified?: boolean }[] };
    expect(checklist.items.find((item) => item.id === 'blocker-payments')).toMatchObject({
      signedBy: 'Tom Lead',
      verified: true,
    });
    expect((await laptop(ana, ['sync', '--help'])).stdout).toContain('Usage: cockpit sync');
    expect((await laptop(ana, ['sync'])).code).toBe(0);
  });
});
