/**
 * Health sweeps against loopback endpoints served by another process.
 *
 * 1. 200 endpoints, 10 % slow, 10 % hanging: one sweep with the prober (keep-alive pools, bounded
 *    concurrency, one deadline per sweep) against sequential fetches with the same deadline.
 * 2. 200 healthy endpoints: warm sweeps (pools kept) against cold ones (a new pool each sweep).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Agent, request } from 'undici';
import { HealthProber, isLoopbackHost } from '../src/main/core/health/prober';
import { percentile, type BenchResult } from './stats';

const endpointCount = 200;
const timeoutMs = 500;
const sweepsPerMeasure = 10;

/** Starts the endpoint farm; `slowEvery`/`hangEvery` of 0 mean none. */
async function startFarm(count: number, slowEvery: number, hangEvery: number) {
  const farm = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'endpoint-farm.ts'),
      String(count),
      String(slowEvery || 1e9),
      String(hangEvery || 1e9),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const targets = await new Promise<{ url: string; kind: string }[]>((resolve) => {
    let buffered = '';
    farm.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.includes('\n')) resolve(JSON.parse(buffered.split('\n')[0]!));
    });
  });
  return { targets, stop: () => farm.stdin!.end() };
}

function newProber(deadlineMs: number) {
  return new HealthProber({
    timeoutMs: deadlineMs,
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64),
    isHostAllowed: isLoopbackHost,
  });
}

export async function healthSweepBench(): Promise<BenchResult> {
  const { targets, stop } = await startFarm(endpointCount, 10, 10);
  try {
    const probeTargets = targets.map((target, index) => ({ key: String(index), url: target.url }));
    const prober = newProber(timeoutMs);
    const coldBegan = performance.now();
    await prober.sweep(probeTargets);
    const coldMs = performance.now() - coldBegan;

    const sweeps: number[] = [];
    const latencies: number[] = [];
    let upCount = 0;
    for (let sweep = 0; sweep < sweepsPerMeasure; sweep++) {
      const began = performance.now();
      const results = await prober.sweep(probeTargets);
      sweeps.push(performance.now() - began);
      for (const result of results.values()) {
        if (result.latencyMs !== undefined) latencies.push(result.latencyMs);
        if (result.status === 'up') upCount++;
      }
    }
    await prober.close();

    // Baseline: one probe after another with fetch, each with the same deadline.
    const baselineBegan = performance.now();
    for (const target of targets) {
      try {
        const response = await fetch(target.url, { signal: AbortSignal.timeout(timeoutMs) });
        await response.text();
      } catch {
        // A hanging endpoint times out, as with the prober.
      }
    }
    const baselineMs = performance.now() - baselineBegan;
    const sweepP50 = percentile(sweeps, 50);
    const sweepP95 = percentile(sweeps, 95);
    return {
      name: 'health sweep (200 endpoints, 10 % slow, 10 % hanging)',
      figures: {
        timeoutMs,
        coldSweepMs: round(coldMs),
        sweepP50Ms: round(sweepP50),
        sweepP95Ms: round(sweepP95),
        probeLatencyP50Ms: round(percentile(latencies, 50)),
        probeLatencyP95Ms: round(percentile(latencies, 95)),
        upPerSweep: upCount / sweepsPerMeasure,
        baselineSequentialFetchMs: round(baselineMs),
        speedupVsSequential: round(baselineMs / sweepP50),
        sweepOverDeadlineMs: round(sweepP95 - timeoutMs),
      },
      verdicts: [
        { target: 'sweep bounded by the deadline (p95 ≤ timeout + 50 ms)', pass: sweepP95 <= timeoutMs + 50 },
        { target: 'faster than sequential fetches', pass: baselineMs / sweepP50 > 1 },
      ],
    };
  } finally {
    stop();
  }
}

export async function keepAliveBench(): Promise<BenchResult> {
  const { targets, stop } = await startFarm(endpointCount, 0, 0);
  try {
    const probeTargets = targets.map((target, index) => ({ key: String(index), url: target.url }));
    const cold: number[] = [];
    for (let sweep = 0; sweep < sweepsPerMeasure; sweep++) {
      const fresh = newProber(2_000);
      const began = performance.now();
      await fresh.sweep(probeTargets);
      cold.push(performance.now() - began);
      await fresh.close();
    }
    const prober = newProber(2_000);
    await prober.sweep(probeTargets);
    const warm: number[] = [];
    for (let sweep = 0; sweep < sweepsPerMeasure; sweep++) {
      const began = performance.now();
      await prober.sweep(probeTargets);
      warm.push(performance.now() - began);
    }
    await prober.close();

    // Ceiling: bare undici requests on one keep-alive Agent, no deadline, parsing or bound.
    const agent = new Agent({ keepAliveTimeout: 30_000, connections: 4 });
    const rawSweep = () =>
      Promise.all(
        targets.map(async (target) => {
          const response = await request(target.url, { dispatcher: agent });
          await response.body.text();
        }),
      );
    await rawSweep();
    const raw: number[] = [];
    for (let sweep = 0; sweep < sweepsPerMeasure; sweep++) {
      const began = performance.now();
      await rawSweep();
      raw.push(performance.now() - began);
    }
    await agent.close();

    const [warmP50, warmP95, coldP50, rawP50] = [
      percentile(warm, 50),
      percentile(warm, 95),
      percentile(cold, 50),
      percentile(raw, 50),
    ];
    return {
      name: 'health sweep keep-alive (200 healthy endpoints)',
      figures: {
        warmSweepP50Ms: round(warmP50),
        warmSweepP95Ms: round(warmP95),
        coldSweepP50Ms: round(coldP50),
        warmOverCold: round(warmP50 / coldP50),
        rawUndiciSweepP50Ms: round(rawP50),
        warmOverRawUndici: round(warmP50 / rawP50),
        amortisedMsPerEndpoint: Math.round((warmP50 / endpointCount) * 1000) / 1000,
      },
      verdicts: [
        { target: 'warm sweep p50 ≤ 10 ms, p95 ≤ 30 ms', pass: warmP50 <= 10 && warmP95 <= 30 },
        { target: 'warm ≤ 0.3 × cold', pass: warmP50 / coldP50 <= 0.3 },
        { target: 'within 1.3 × bare undici on this machine', pass: warmP50 / rawP50 <= 1.3 },
      ],
    };
  } finally {
    stop();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
