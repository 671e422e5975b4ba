/**
 * The 7-service demo deploy to staging, two ways, on the real demo platform with the same
 * readiness delays (each new instance answers health only after its delay):
 * - the cockpit: each step as soon as its dependencies are verified, up to 3 at a time, each done
 *   as soon as health (polled fast at first, then backing off) reports the target version — against
 *   its dependency graph's critical path: the longest chain of the steps' own measured
 *   trigger-to-healthy times in the same run;
 * - the manual's semantics: one service after another in its order, a fixed wait (the manual's
 *   `sleep 30`, here 1.25 × the slowest readiness delay so the single check can pass), then one
 *   health check.
 * Both trigger the same fire-and-forget demo deploy, and alternate between two version sets so
 * every step really replaces a running instance.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { demoServices, latestVersion } from '../src/main/core/demo/catalog';
import { demoDeploy, demoDown, demoUp } from '../src/main/core/demo/demo-platform';
import { DeployJournal } from '../src/main/core/deploy/journal';
import { runDeploy } from '../src/main/core/deploy/orchestrator';
import { planDeploy } from '../src/main/core/deploy/plan';
import type { DeployProviderClient } from '../src/main/core/deploy/provider';
import { runningVersions } from '../src/main/core/deploy/targets';
import { HealthProber, isLoopbackHost } from '../src/main/core/health/prober';
import { loadPlatformFile } from '../src/main/core/platform/load';
import { percentile, type BenchResult } from './stats';

/** Readiness delay of each service, in the manual's order (DB → Auth → Notify → … → Frontend). */
const readinessMs: Record<string, number> = {
  'db-service': 900,
  'auth-service': 700,
  'notify-service': 400,
  'payment-service': 800,
  'ai-service': 1_200,
  'monitoring-service': 500,
  frontend: 600,
};
const fixedWaitMs = Math.ceil(Math.max(...Object.values(readinessMs)) * 1.25);
const rounds = 2;

/**
 * The longest dependency chain of the steps' own trigger-to-healthy times: no scheduler can finish
 * the deploy sooner (with unlimited parallelism).
 */
function criticalPath(
  planned: { service: string; dependsOn: string[] }[],
  steps: { service: string; durationMs?: number }[],
): number {
  const duration = new Map(steps.map((step) => [step.service, step.durationMs ?? 0]));
  const dependencies = new Map(planned.map((step) => [step.service, step.dependsOn]));
  const finish = new Map<string, number>();
  const finishOf = (service: string): number => {
    const known = finish.get(service);
    if (known !== undefined) return known;
    const start = Math.max(0, ...(dependencies.get(service) ?? []).filter((id) => duration.has(id)).map(finishOf));
    const value = start + (duration.get(service) ?? 0);
    finish.set(service, value);
    return value;
  };
  return Math.max(...planned.map((step) => finishOf(step.service)));
}

export async function deployBench(): Promise<BenchResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-deploy-'));
  const previous = process.env.COCKPIT_PROMETHEUS_BIN;
  process.env.COCKPIT_PROMETHEUS_BIN = '/nonexistent/prometheus';
  const { platformFile } = await demoUp({
    root,
    resourcesDir: path.resolve(import.meta.dirname, '../resources'),
    cliCommand: [process.execPath, path.resolve(import.meta.dirname, '../bin/cockpit.js')],
  });
  const loaded = await loadPlatformFile(platformFile);
  if (!loaded.ok) throw new Error('the demo platform file does not load');
  const platform = loaded.platform;
  const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
  const versionSets = [
    Object.fromEntries(demoServices.map((service) => [service.id, latestVersion(service)])),
    Object.fromEntries(demoServices.map((service) => [service.id, service.staging])),
  ];
  const trigger = (service: string, version: string) =>
    demoDeploy({
      root,
      service,
      environment: 'staging',
      version,
      log: () => undefined,
      startupDelayMs: readinessMs[service],
      isFireAndForget: true,
    });
  const cockpitMs: number[] = [];
  const criticalMs: number[] = [];
  const manualMs: number[] = [];
  let manualMisses = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      // The cockpit's way.
      const cockpitTargets = versionSets[0]!;
      const running = await runningVersions(platform, 'staging', prober, Object.keys(cockpitTargets));
      const plan = planDeploy({ platform, environment: 'staging', targets: cockpitTargets, running });
      const provider: DeployProviderClient = {
        deploy: async (context, io) => {
          io.onTriggered();
          await trigger(context.service, context.version);
          return { ok: true, detail: 'started' };
        },
      };
      const began = performance.now();
      const result = await runDeploy({
        platform,
        plan,
        runId: `bench-${round}`,
        journal: new DeployJournal(path.join(root, 'journal', `bench-${round}.jsonl`)),
        lockFolder: path.join(root, 'locks'),
        prober,
        log: () => undefined,
        providers: () => provider,
      });
      cockpitMs.push(performance.now() - began);
      if (result.status !== 'succeeded') throw new Error(`the cockpit's deploy ${result.status}`);
      criticalMs.push(criticalPath(plan.waves.flat(), result.steps));

      // The manual's way: sequential, fixed wait, one check.
      const manualTargets = versionSets[1]!;
      const manualBegan = performance.now();
      for (const service of Object.keys(readinessMs)) {
        await trigger(service, manualTargets[service]!);
        await sleep(fixedWaitMs);
        const config = platform.services.find((candidate) => candidate.id === service)!.environments.staging!;
        const check = await prober.probe({ key: service, url: `${config.url}${config.healthPath}` });
        if (check.status !== 'up' || check.version !== manualTargets[service]) manualMisses++;
      }
      manualMs.push(performance.now() - manualBegan);
    }
  } finally {
    await prober.close();
    await demoDown(root, { purge: true });
    if (previous === undefined) delete process.env.COCKPIT_PROMETHEUS_BIN;
    else process.env.COCKPIT_PROMETHEUS_BIN = previous;
  }
  const cockpit = percentile(cockpitMs, 50);
  const manual = percentile(manualMs, 50);
  const critical = percentile(criticalMs, 50);
  return {
    name: `7-service demo deploy to staging: cockpit (eager, adaptive health polling) vs its critical path and the manual (sequential, ${fixedWaitMs} ms fixed wait, one check)`,
    figures: {
      'cockpit p50 ms': Math.round(cockpit),
      'manual p50 ms': Math.round(manual),
      'manual / cockpit': Number((manual / cockpit).toFixed(2)),
      'manual checks that failed': manualMisses,
      'critical path ms': Math.round(critical),
      'cockpit / critical path': Number((cockpit / critical).toFixed(2)),
    },
    verdicts: [
      { target: 'the cockpit is faster than the manual’s fixed waits', pass: cockpit < manual },
      { target: 'cockpit / critical path ≤ 1.2', pass: cockpit / critical <= 1.2 },
    ],
  };
}
