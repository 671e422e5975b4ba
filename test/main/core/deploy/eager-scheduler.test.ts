/**
 * The deploy scheduler starts each step as soon as the steps it depends on are verified — not when
 * its whole wave is done — and still stops what has not started at the first failure. Real HTTP
 * services on 127.0.0.1 report their version; a provider makes each one turn healthy on the new
 * version after its own delay.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployJournal } from '../../../../src/main/core/deploy/journal';
import { runDeploy, type StepReport } from '../../../../src/main/core/deploy/orchestrator';
import { planDeploy } from '../../../../src/main/core/deploy/plan';
import type { DeployProviderClient } from '../../../../src/main/core/deploy/provider';
import { HealthProber, isLoopbackHost } from '../../../../src/main/core/health/prober';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { stagingPlatform } from '../../../helpers/staging-platform';
import { startProbeServer, type ProbeServer } from '../health/probe-servers';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** slow (no dependency), fast (none), after-fast (needs fast): a wave scheduler would hold after-fast for slow. */
async function setup(delays: Record<string, number>, failing: string[] = []) {
  const servers: Record<string, ProbeServer> = {};
  for (const id of Object.keys(delays)) {
    servers[id] = await startProbeServer('1.0.0');
    closers.push(() => servers[id]!.close());
  }
  const command = '{ provider: command, command: ["true"] }';
  const platform = stagingPlatform('eager', [
    { id: 'slow', url: servers.slow!.url, deploy: command },
    { id: 'fast', url: servers.fast!.url, deploy: command },
    { id: 'after-fast', url: servers['after-fast']!.url, deploy: command, dependsOn: ['fast'] },
  ]);
  const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
  closers.push(() => prober.close());
  const triggeredAt: Record<string, number> = {};
  const provider: DeployProviderClient = {
    deploy: async (context, io) => {
      io.onTriggered();
      triggeredAt[context.service] = performance.now();
      if (failing.includes(context.service)) return { ok: false, detail: 'the provider refused it' };
      setTimeout(() => (servers[context.service]!.version = context.version), delays[context.service]);
      return { ok: true, detail: 'started' };
    },
  };
  const verifiedAt: Record<string, number> = {};
  const dataDir = temporaryDataDir();
  const run = () =>
    runDeploy({
      platform,
      plan: planDeploy({
        platform,
        environment: 'staging',
        targets: { slow: '1.1.0', fast: '1.1.0', 'after-fast': '1.1.0' },
        running: { slow: '1.0.0', fast: '1.0.0', 'after-fast': '1.0.0' },
      }),
      runId: 'eager-1',
      journal: new DeployJournal(path.join(dataDir, 'eager-1.jsonl')),
      lockFolder: path.join(dataDir, 'locks'),
      prober,
      log: () => undefined,
      providers: () => provider,
      onStepChanged: (step: StepReport) => {
        if (step.status === 'succeeded') verifiedAt[step.service] = performance.now();
      },
      stepTimeoutMs: 30_000,
    });
  return { run, triggeredAt, verifiedAt };
}

describe('the deploy scheduler', () => {
  it('starts a step as soon as its dependencies are verified, while an unrelated slow step still runs', async () => {
    const { run, triggeredAt, verifiedAt } = await setup({ slow: 2_000, fast: 100, 'after-fast': 100 });
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect(triggeredAt['after-fast']).toBeGreaterThan(verifiedAt.fast!);
    // after-fast did not wait for slow, which was in fast's wave.
    expect(triggeredAt['after-fast']).toBeLessThan(verifiedAt.slow!);
    expect(verifiedAt['after-fast']).toBeLessThan(verifiedAt.slow!);
  });

  it('stops what has not started at the first failure; what runs finishes', async () => {
    const { run } = await setup({ slow: 600, fast: 50, 'after-fast': 50 }, ['fast']);
    const result = await run();
    expect(result.status).toBe('failed');
    expect(Object.fromEntries(result.steps.map((step) => [step.service, step.status]))).toEqual({
      slow: 'succeeded',
      fast: 'failed',
      'after-fast': 'not-started',
    });
  });
});
