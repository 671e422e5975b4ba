import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { checklistItems, SignoffBook } from '../../../../src/main/core/policy/signoffs';
import { samplePlatformFile, temporaryDataDir } from '../../../helpers/cockpit-builder';

const loaded = await loadPlatformFile(samplePlatformFile);
if (!loaded.ok) throw new Error('the sample platform does not load');
const platform = loaded.platform;
const clock = () => new Date('2026-11-24T10:00:00Z');

function book(dataDir: string, identity: { name: string; email?: string }) {
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger'),
    platformId: platform.id,
    actor: { name: identity.name, email: identity.email, source: 'git' },
    clock,
  });
  return {
    ledger,
    book: new SignoffBook({ platform, audit: new AuditTrail(ledger, () => undefined), identity, clock }),
  };
}

const qa = { name: 'q', email: 'quinn@penpal-ai.example' };

describe('the staging acceptance checklist', () => {
  it('holds the manual’s 6 scenarios, 4 browsers, 3 devices and 5 functional blockers', () => {
    const sections = checklistItems.map((item) => item.section);
    expect(sections.filter((section) => section === 'scenario')).toHaveLength(6);
    expect(sections.filter((section) => section === 'browser')).toHaveLength(4);
    expect(sections.filter((section) => section === 'responsive')).toHaveLength(3);
    expect(sections.filter((section) => section === 'blocker')).toHaveLength(5);
  });

  it('records each signature with who, when and the note; kept per release, across restarts, in the ledger', async () => {
    const dataDir = temporaryDataDir();
    const { book: first, ledger } = book(dataDir, qa);
    await first.sign('2026-11-26', 'oauth-google', 'tested with two accounts');
    const { book: again } = book(dataDir, qa);
    const checklist = await again.checklist('2026-11-26');
    expect(checklist.items.find((item) => item.id === 'oauth-google')).toMatchObject({
      signedBy: 'Quinn QA',
      signedAt: '2026-11-24T10:00:00.000Z',
      note: 'tested with two accounts',
    });
    expect((await again.checklist('2026-12-10')).items.every((item) => !item.signedBy)).toBe(true);
    expect((await ledger.readAll()).map((record) => record.summary)).toEqual([
      'Quinn QA signed "Google OAuth sign-in" for the 2026-11-26 release: tested with two accounts',
    ]);
  });

  it('only lets the signoff role sign, saying which role is needed', async () => {
    const { book: devops } = book(temporaryDataDir(), { name: 'Dana DevOps' });
    await expect(devops.sign('2026-11-26', 'blocker-auth')).rejects.toThrow(
      'Signing "Authentication works" needs the role release-manager or tech-lead or qa; Dana DevOps is devops.',
    );
  });

  it('blocks while a blocker is unsigned, warns while other items are, passes when all are signed', async () => {
    const { book: signoffs } = book(temporaryDataDir(), qa);
    expect(await signoffs.gate('2026-11-26')).toMatchObject({
      verdict: 'block',
      evidence: expect.stringMatching(/^not signed: Authentication works, AI chat works, Payments work/),
    });
    for (const item of checklistItems.filter((candidate) => candidate.section === 'blocker'))
      await signoffs.sign('2026-11-26', item.id);
    expect(await signoffs.gate('2026-11-26')).toMatchObject({ verdict: 'warn', evidence: '13 of 18 items not signed' });
    for (const item of checklistItems.filter((candidate) => candidate.section !== 'blocker'))
      await signoffs.sign('2026-11-26', item.id);
    expect(await signoffs.gate('2026-11-26')).toMatchObject({ verdict: 'pass', evidence: 'all 18 items signed' });
  });

  it('counts only sign-offs by a person of the roster with the role, and a withdrawn one no longer', async () => {
    const dataDir = temporaryDataDir();
    const { book: signoffs, ledger } = book(dataDir, qa);
    await signoffs.sign('2026-11-26', 'tablet');
    // Records written as if by others: a stranger and DevOps (no signoff role) cannot sign.
    for (const actor of [{ name: 'Eve' }, { name: 'Dana DevOps' }]) {
      const forger = new Ledger({
        folder: ledger.paths.file.replace(/\/ledger\.jsonl$/, ''),
        platformId: platform.id,
        actor: { ...actor, source: 'git' },
        clock,
      });
      await forger.append([
        {
          action: 'signoff',
          status: 'succeeded',
          summary: 'signed',
          details: { release: '2026-11-26', item: 'blocker-auth' },
        },
      ]);
    }
    expect(
      (await signoffs.checklist('2026-11-26')).items.filter((item) => item.signedBy).map((item) => item.id),
    ).toEqual(['tablet']);
    const after = await signoffs.revoke('2026-11-26', 'tablet', 'found a layout bug on iPad');
    expect(after.items.find((item) => item.id === 'tablet')?.signedBy).toBeUndefined();
    await expect(signoffs.revoke('2026-11-26', 'tablet', ' ')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
