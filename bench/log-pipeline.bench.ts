/**
 * The log pipeline, end to end: a chatty child process → main (this thread) → a terminal thread
 * parsing with @xterm/headless (the renderer's stand-in), acknowledging what it has parsed.
 * - the log bus: redaction, the run's log file, batches flushed on the next turn or at 200 kB,
 *   flow control (pause at 100k unacknowledged characters, resume at 10k, hold and spill);
 * - the baselines: one message per chunk read from the child, or per line, and nothing else (no
 *   redaction, no file, no flow control);
 * - the ceiling: @xterm/headless parsing the same data on its own, in 64 KB writes.
 * Reported: MB/s, added latency at 4,000 lines/s, bytes lost, peak pending in the terminal,
 * main's event-loop delay.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { LogBus } from '../src/main/core/logs/log-bus';
import { Redactor } from '../src/main/core/logs/redactor';
import { percentile, type BenchResult } from './stats';

const floodMegabytes = 20;
const pacedLinesPerSecond = 4_000;
const pacedSeconds = 2;

type Strategy = 'bus' | 'per-chunk' | 'per-line';

interface PipelineRun {
  characters: number;
  ms: number;
  messages: number;
  lost: number;
  peakPending: number;
  latencies: number[];
  loopDelayP99Ms: number;
  spilled: number;
  text: string;
}

async function runPipeline(strategy: Strategy, childArgs: string[], keepText = false): Promise<PipelineRun> {
  const worker = new Worker(new URL('./terminal-worker.mjs', import.meta.url));
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-logs-'));
  const measureLatency = childArgs[0] === 'paced';
  let messages = 0;
  const post = (text: string) => {
    messages++;
    worker.postMessage({ type: 'write', text, measureLatency });
  };
  const redactor = new Redactor();
  redactor.add('cfy_bench_token_never_printed_42');
  const bus = new LogBus({
    redactor,
    folder,
    emit: (_runId, chunks) => post(chunks.map((chunk) => chunk.text).join('')),
    // The values the Deploy view runs with (deploy-service.ts).
    flowControl: { highWatermark: 100_000, lowWatermark: 10_000, maxHeldChars: 4_000_000 },
  });
  worker.on('message', (message: { type: string; characters?: number }) => {
    if (message.type === 'ack' && strategy === 'bus') bus.acknowledge('run', message.characters!);
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'chatty-child.mjs'), ...childArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.setEncoding('utf8');
  let received = 0;
  const kept: string[] = [];
  let began = 0;
  child.stdout.on('data', (text: string) => {
    if (began === 0) {
      began = performance.now();
      loopDelay.enable();
    }
    received += text.length;
    if (keepText) kept.push(text);
    if (strategy === 'bus') bus.push('run', 'api', text);
    else if (strategy === 'per-chunk') post(text);
    else for (const line of text.split(/(?<=\n)/)) post(line);
  });
  await new Promise((resolve) => child.once('close', resolve));
  const spilled = bus.flowState('run')?.spilled ?? 0;
  await bus.close('run');
  const stats = await new Promise<{ parsed: number; peakPending: number; latencies: number[] }>((resolve) => {
    const waitForDrain = () => {
      const state = bus.flowState('run');
      if (state && state.held > 0) return void setTimeout(waitForDrain, 5);
      worker.once('message', function onStats(message: { type: string }) {
        if (message.type === 'stats') resolve(message as never);
        else worker.once('message', onStats);
      });
      worker.postMessage({ type: 'finish' });
    };
    waitForDrain();
  });
  const ms = performance.now() - began;
  loopDelay.disable();
  await worker.terminate();
  rmSync(folder, { recursive: true, force: true });
  return {
    characters: received,
    ms,
    messages,
    lost: received - stats.parsed,
    peakPending: stats.peakPending,
    latencies: stats.latencies,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    spilled,
    text: kept.join(''),
  };
}

async function ceiling(text: string): Promise<number> {
  const worker = new Worker(new URL('./terminal-worker.mjs', import.meta.url));
  const ms = await new Promise<number>((resolve) => {
    worker.on('message', (message: { type: string; ms: number }) => message.type === 'ceiling' && resolve(message.ms));
    worker.postMessage({ type: 'ceiling', text });
  });
  await worker.terminate();
  return ms;
}

const megabytesPerSecond = (run: PipelineRun) => run.characters / 1e6 / (run.ms / 1000);

export async function logPipelineBench(): Promise<BenchResult> {
  const flood = ['flood', String(floodMegabytes)];
  const bus = await runPipeline('bus', flood, true);
  const perChunk = await runPipeline('per-chunk', flood);
  const perLine = await runPipeline('per-line', flood);
  const ceilingMs = await ceiling(bus.text);
  const paced = ['paced', String(pacedLinesPerSecond), String(pacedSeconds)];
  const busPaced = await runPipeline('bus', paced);
  const perChunkPaced = await runPipeline('per-chunk', paced);
  const busRate = megabytesPerSecond(bus);
  const ceilingRate = bus.characters / 1e6 / (ceilingMs / 1000);
  const p = (values: number[], rank: number) => Number(percentile(values, rank).toFixed(2));
  return {
    name: `Log pipeline: child flooding ${floodMegabytes} MB → main → @xterm/headless in another thread`,
    figures: {
      'bus MB/s': Number(busRate.toFixed(1)),
      'per-chunk MB/s (baseline)': Number(megabytesPerSecond(perChunk).toFixed(1)),
      'bus / per-chunk': Number((busRate / megabytesPerSecond(perChunk)).toFixed(2)),
      'per-line MB/s (baseline)': Number(megabytesPerSecond(perLine).toFixed(1)),
      'bus / per-line': Number((busRate / megabytesPerSecond(perLine)).toFixed(2)),
      'headless parse MB/s (ceiling)': Number(ceilingRate.toFixed(1)),
      'bus / ceiling': Number((busRate / ceilingRate).toFixed(2)),
      'bus messages': bus.messages,
      'per-chunk messages': perChunk.messages,
      'per-line messages': perLine.messages,
      'bus bytes lost': bus.lost,
      'per-chunk bytes lost': perChunk.lost,
      'bus spilled chars': bus.spilled,
      'bus peak pending chars': bus.peakPending,
      'per-chunk peak pending chars': perChunk.peakPending,
      'per-line peak pending chars': perLine.peakPending,
      'bus main loop delay p99 ms': Number(bus.loopDelayP99Ms.toFixed(1)),
      [`bus latency p50 ms at ${pacedLinesPerSecond} lines/s`]: p(busPaced.latencies, 50),
      [`bus latency p95 ms at ${pacedLinesPerSecond} lines/s`]: p(busPaced.latencies, 95),
      [`per-chunk latency p50 ms at ${pacedLinesPerSecond} lines/s`]: p(perChunkPaced.latencies, 50),
      [`per-chunk latency p95 ms at ${pacedLinesPerSecond} lines/s`]: p(perChunkPaced.latencies, 95),
    },
    verdicts: [
      { target: '≥ 1.5× the one-message-per-line throughput', pass: busRate >= 1.5 * megabytesPerSecond(perLine) },
      { target: '≥ 20 MB/s', pass: busRate >= 20 },
      { target: '0 bytes lost', pass: bus.lost === 0 },
      { target: 'peak pending ≤ 100 000 chars + one 200 kB batch', pass: bus.peakPending <= 300_000 },
      {
        target: 'latency p50 ≤ baseline + 1 ms, p95 ≤ 5 ms at 4,000 lines/s',
        pass:
          percentile(busPaced.latencies, 50) <= percentile(perChunkPaced.latencies, 50) + 1 &&
          percentile(busPaced.latencies, 95) <= 5,
      },
      { target: 'main event-loop delay p99 ≤ 5 ms under flood', pass: bus.loopDelayP99Ms <= 5 },
    ],
  };
}
