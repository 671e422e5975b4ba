import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAuthorityRecords } from '../../../../src/main/core/identity/authority';
import { approvalsOf } from '../../../../src/main/core/policy/approvals';
import { checkDeployAllowed } from '../../../../src/main/core/policy/deploy-permission';
import { PolicyService } from '../../../../src/main/core/policy/policy-service';
import type { GateResult } from '../../../../src/main/core/policy/gates';
import { rosterMatch, type Identity } from '../../../../src/main/core/policy/roles';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { samplePlatformFile, temporaryDataDir } from '../../../helpers/cockpit-builder';

const loaded = await loadPlatformFile(samplePlatformFile);
if (!loaded.ok) throw new Error('the sample platform does not load');
const platform = loaded.platform;

const releaseManager = { name: 'someone', email: 'MAKSYMILIAN@penpal-ai.example' };
const devops = { name: 'Dana DevOps' };
const qa = { name: 'q', osUser: 'nobody', email: 'quinn@penpal-ai.example' };
const stranger = { name: 'Eve', osUser: 'eve' };
const insideWindow = new Date('2026-11-24T15:00:00+01:00');
const outsideWindow = new Date('2026-11-23T22:00:00+01:00');

function policyAt(clock: Date, identity: Identity = releaseManager, gates: GateResult[] = []) {
  const ledger = new Ledger({
    folder: path.join(temporaryDataDir(), 'ledger'),
    platformId: platform.id,
    actor: { name: identity.name, email: identity.email, source: 'git' },
    clock: () => clock,
  });
  return {
    ledger,
    policy: new PolicyService({
      platform,
      audit: new AuditTrail(ledger, () => undefined),
      identity,
      clock: () => clock,
      evaluateGates: async () => gates,
    }),
  };
}

describe('roles from the roster', () => {
  it('recognises people by e-mail (any case), then name, then OS user', () => {
    expect(rosterMatch(platform, releaseManager).roles).toEqual(['release-manager', 'tech-lead']);
    expect(rosterMatch(platform, devops).roles).toEqual(['devops']);
    expect(rosterMatch(platform, qa).roles).toEqual(['qa']);
    expect(rosterMatch(platform, stranger)).toMatchObject({ person: undefined, roles: [] });
  });
});

describe('may this person deploy to this environment now', () => {
  const check = (identity: { name: string }, now: Date, environment = 'production') =>
    checkDeployAllowed({ platform, environment, identity, approvals: [], now });

  it('lets staging go any time, for anyone', () => {
    expect(check(stranger, outsideWindow, 'staging').window.isOpen).toBe(true);
  });

  it('lets a role with production-deploy deploy production inside its window', () => {
    expect(check(releaseManager, insideWindow).window.isOpen).toBe(true);
    expect(check(devops, insideWindow).window.isOpen).toBe(true);
  });

  it('refuses someone whose roles do not allow it, naming the roles needed', () => {
    expect(() => check(qa, insideWindow)).toThrow(
      'Deploying to Production needs the role release-manager or devops; Quinn QA is qa.',
    );
    expect(() => check(stranger, insideWindow)).toThrow("Eve (OS user eve) is not in the platform's roster");
  });

  it('refuses production outside its window, saying why and when it next opens', () => {
    expect(() => check(releaseManager, outsideWindow)).toThrow(
      'Production is closed for deploys. Closed: no window on Monday. The next window opens at 2026-11-24T14:00:00.000+01:00. A hotfix for a security issue or data corruption may go now with a hotfix exception approved by a release-manager or tech-lead.',
    );
  });
});

describe('the hotfix exception', () => {
  it('opens production outside its window once approved, with who and why in the ledger, until it expires', async () => {
    const { policy, ledger } = policyAt(outsideWindow);
    await expect(policy.authorizeDeploy('production')).rejects.toMatchObject({ code: 'WINDOW_CLOSED' });
    const exception = await policy.approveHotfix('production', 'security', 'CVE-2026-1234 in the JWT library');
    expect(exception).toMatchObject({
      approvedBy: 'someone',
      category: 'security',
      expiresAt: new Date(outsideWindow.getTime() + 4 * 3_600_000).toISOString(),
    });
    await expect(policy.authorizeDeploy('production')).resolves.toEqual([]);
    expect((await policy.window('production')).hotfixException?.reason).toBe('CVE-2026-1234 in the JWT library');
    const records = await ledger.readAll();
    expect(records.map((record) => `${record.action}:${record.status}`)).toEqual([
      'gate.verdict:failed',
      'approval:succeeded',
      'gate.verdict:info',
      'gate.verdict:succeeded',
    ]);
    expect(records[1]).toMatchObject({
      actor: { name: 'someone' },
      environment: 'production',
      details: { kind: 'hotfix-exception', category: 'security', reason: 'CVE-2026-1234 in the JWT library' },
    });
    // Five hours later the exception has expired.
    const later = new Date(outsideWindow.getTime() + 5 * 3_600_000);
    const approvals = approvalsOf(records, checkAuthorityRecords(records, platform), platform, later);
    expect(approvals).toMatchObject([{ kind: 'hotfix-exception', status: 'expired', isIndependent: false }]);
    expect(() =>
      checkDeployAllowed({ platform, environment: 'production', identity: releaseManager, approvals, now: later }),
    ).toThrow(/closed for deploys/);
  });

  it('may only be approved by a role allowed to', async () => {
    const { policy, ledger } = policyAt(outsideWindow, devops);
    await expect(policy.approveHotfix('production', 'data-corruption', 'orders collection corrupted')).rejects.toThrow(
      'Approving a hotfix exception for Production needs the role release-manager or tech-lead; Dana DevOps is devops.',
    );
    expect(await ledger.readAll()).toEqual([]);
  });
});

describe('gates on a production deploy', () => {
  const gates: GateResult[] = [
    { id: 'health:production', title: 'Health of production', verdict: 'pass', evidence: 'all 7 services up' },
    { id: 'ci:auth-service', title: 'CI of auth-service v2.2.0', verdict: 'block', evidence: '1 of 3 checks failed.' },
    { id: 'ci:ai-service', title: 'CI of ai-service v2.1.0', verdict: 'unknown', evidence: 'No CI provider' },
  ];

  it('is refused while a gate blocks, and goes ahead after an authorized override recorded with who and why', async () => {
    const { policy, ledger } = policyAt(insideWindow, releaseManager, gates);
    await expect(policy.authorizeDeploy('production', { 'auth-service': '2.2.0' })).rejects.toMatchObject({
      code: 'GATE_BLOCKED',
      message:
        'Deploy to production stopped by a gate: CI of auth-service v2.2.0 — 1 of 3 checks failed.. Fix it, or a release-manager or tech-lead may override with a reason.',
    });
    const { policy: devopsPolicy } = policyAt(insideWindow, devops, gates);
    await expect(
      devopsPolicy.overrideGates('production', ['ci:auth-service'], 'flaky e2e job, rerun green'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await policy.overrideGates('production', ['ci:auth-service'], 'flaky e2e job, rerun green locally');
    await expect(policy.authorizeDeploy('production', { 'auth-service': '2.2.0' })).resolves.toHaveLength(3);
    const records = await ledger.readAll();
    expect(records.map((record) => `${record.action}:${record.status}`)).toEqual([
      'gate.verdict:failed',
      'override:succeeded',
      'gate.verdict:succeeded',
    ]);
    expect(records[1]).toMatchObject({
      actor: { name: 'someone' },
      details: { gates: ['ci:auth-service'], reason: 'flaky e2e job, rerun green locally' },
    });
    expect(records[2]!.summary).toBe(
      'Gates for production: health:production pass, ci:auth-service block (overridden), ci:ai-service unknown',
    );
  });

  it('does not evaluate gates for an unprotected environment', async () => {
    const { policy, ledger } = policyAt(outsideWindow, stranger, gates);
    await expect(policy.authorizeDeploy('staging', { 'auth-service': '2.2.0' })).resolves.toEqual([]);
    expect(await ledger.readAll()).toEqual([]);
  });
});
