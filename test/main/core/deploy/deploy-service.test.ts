import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CiStatus } from '../../../../src/shared/contract';
import { DeployService } from '../../../../src/main/core/deploy/deploy-service';
import { EventBus } from '../../../../src/main/core/event-bus';
import { HealthProber, isLoopbackHost } from '../../../../src/main/core/health/prober';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { buildStartedCockpit, temporaryDataDir } from '../../../helpers/cockpit-builder';
import { stagingPlatform } from '../../../helpers/staging-platform';
import { startProbeServer } from '../health/probe-servers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serviceWith(ciStatus?: (service: string, tag: string) => Promise<CiStatus>) {
  const api = await startProbeServer('1.0.0');
  const web = await startProbeServer('1.0.0', 'degraded');
  closers.push(
    () => api.close(),
    () => web.close(),
  );
  const command = '{ provider: command, command: [deploy] }';
  const platform = stagingPlatform('plan-test', [
    { id: 'api', url: api.url, deploy: command },
    { id: 'web', url: web.url, deploy: command },
  ]);
  const dataDir = temporaryDataDir();
  const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
  closers.push(() => prober.close());
  return new DeployService({
    platform,
    dataDir,
    prober,
    events: new EventBus(),
    redactor: new Redactor(),
    audit: new AuditTrail(
      new Ledger({
        folder: path.join(dataDir, 'ledger'),
        platformId: 'plan-test',
        actor: { name: 'RM', source: 'os' },
      }),
      () => undefined,
    ),
    ciStatus,
  });
}

describe('the deploy plan shows each step’s checks before it runs', () => {
  it('shows health now and the CI of the target version: a failed CI or a missing image blocks', async () => {
    const service = await serviceWith(async (service, ref) => ({
      provider: 'github',
      ref,
      state: service === 'api' ? 'success' : 'failure',
      checks: [],
      image: { reference: `ghcr.io/example/${service}:${ref}`, exists: service === 'api' },
      detail: service === 'api' ? 'All 3 checks passed.' : '1 of 3 checks failed.',
    }));
    const plan = await service.plan({ environment: 'staging', versions: { api: '1.1.0', web: '1.1.0' } });
    const gates = Object.fromEntries(plan.waves.flat().map((step) => [step.service, step.gates]));
    expect(gates.api).toEqual([
      { id: 'health', title: 'Health now', verdict: 'pass', evidence: 'up on v1.0.0' },
      { id: 'ci', title: 'CI of v1.1.0', verdict: 'pass', evidence: 'All 3 checks passed.' },
    ]);
    expect(gates.web?.[0]).toMatchObject({ verdict: 'warn', evidence: expect.stringMatching(/^degraded on v1\.0\.0/) });
    expect(gates.web?.[1]).toMatchObject({ verdict: 'block', evidence: '1 of 3 checks failed.' });
  });

  it('says "unknown", never "pass", when there is no CI to ask or it cannot be read', async () => {
    const withoutCi = await serviceWith();
    const plan = await withoutCi.plan({ environment: 'staging', versions: { api: '1.1.0' } });
    expect(plan.waves[0]![0]!.gates?.[1]).toMatchObject({ verdict: 'unknown' });
    const unreachable = await serviceWith(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    const again = await unreachable.plan({ environment: 'staging', versions: { api: '1.1.0' } });
    expect(again.waves[0]![0]!.gates?.[1]).toMatchObject({
      verdict: 'unknown',
      evidence: 'CI could not be read: connect ECONNREFUSED',
    });
  });
});

describe('plans have identity', () => {
  it('keeps a plan under its id, and refuses to start it once it is 15 minutes old', async () => {
    const api = await startProbeServer('1.0.0');
    closers.push(() => api.close());
    const platform = stagingPlatform('expiry-test', [
      { id: 'api', url: api.url, deploy: '{ provider: command, command: [deploy] }' },
    ]);
    const dataDir = temporaryDataDir();
    const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
    closers.push(() => prober.close());
    let now = Date.parse('2026-12-01T10:00:00Z');
    const deploys = new DeployService({
      platform,
      dataDir,
      prober,
      events: new EventBus(),
      redactor: new Redactor(),
      clock: () => new Date(now),
      audit: new AuditTrail(
        new Ledger({
          folder: path.join(dataDir, 'ledger'),
          platformId: 'expiry-test',
          actor: { name: 'RM', source: 'os' },
        }),
        () => undefined,
      ),
    });
    const plan = await deploys.plan({ environment: 'staging', versions: { api: '1.1.0' } });
    expect(plan).toMatchObject({
      planId: expect.stringMatching(/^plan-2026-12-01T10-00-00Z-[0-9a-f]{8}$/),
      createdAt: '2026-12-01T10:00:00.000Z',
      expiresAt: '2026-12-01T10:15:00.000Z',
      isProtected: false,
      window: { isOpen: true },
    });
    now += 15 * 60_000 + 1_000;
    await expect(deploys.start({ planId: plan.planId })).rejects.toMatchObject({
      code: 'PLAN_EXPIRED',
      message: expect.stringContaining('plan again'),
    });
    await expect(deploys.start({ planId: 'plan-2026-12-01T10-00-00Z-00000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(deploys.start({ planId: '../../etc/passwd' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('says what each planned step waits for: its dependencies in the plan', async () => {
    const deploys = await serviceWith();
    const plan = await deploys.plan({ environment: 'staging', versions: { api: '1.1.0', web: '1.1.0' } });
    expect(plan.waves.flat().map((step) => [step.service, step.dependsOn])).toEqual([
      ['api', []],
      ['web', []],
    ]);
  });
});

describe('unknown environments', () => {
  it.each(['constructor', 'nowhere'])(
    'answer NOT_FOUND for %j on every command that takes one',
    async (environment) => {
      const { cockpit } = await buildStartedCockpit();
      for (const [channel, payload] of [
        ['deploy:plan', { environment }],
        ['deploy:history', { environment }],
        ['policy:window', { environment }],
        ['rollback:triage', { service: 'auth-service', environment, symptom: 'service-loss' }],
        ['rollback:start', { service: 'auth-service', environment, level: 1, to: '2.0.0' }],
        ['metrics:report', { environment, sinceDays: 30 }],
      ] as const) {
        const reply = await cockpit.dispatch(channel, payload);
        expect(reply, `${channel} ${environment}`).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
      cockpit.stop();
    },
  );
});
