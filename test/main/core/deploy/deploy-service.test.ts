import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CiStatus } from '../../../../src/shared/contract';
import { DeployService } from '../../../../src/main/core/deploy/deploy-service';
import { EventBus } from '../../../../src/main/core/event-bus';
import { HealthProber, isLoopbackHost } from '../../../../src/main/core/health/prober';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
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
