/**
 * The log pipeline, end to end: a chatty child process → main (this thread) → a terminal thread
 * parsing with @xterm/headless (the renderer's stand-in), acknowledging what it has parsed.
 * - the log bus as the app runs it: the child started and read by the log thread (`runCommand` of
 *   the bus, as a deploy's command runs), and everything else — redaction, the run's log file,
 *   batches, flow control — there too, its batches straight to the terminal's port; main only
 *   asks and hears the end; a terminal far behind is skipped ahead (told so, the file keeps it all);
 * - the same bus never skipping (a terminal far behind pauses the child's pipe instead);
 * - the same bus with its batches relayed by main to the terminal (the browser mode's path, and
 *   the desktop app's when its window has no port), for main's event-loop delay on that path;
 * - the same bus in the main thread (the path before the log thread), for comparison;
 * - the baselines: one message per chunk read from the child, or per line, and nothing else (no
 *   redaction, no file, no flow control);
 * - the ceiling: @xterm/headless parsing the same data on its own, in 64 KB writes.
 * Reported: MB/s, added latency at 4,000 lines/s, bytes missing from the run file and from the
 * terminal, peak pending in the terminal, main's event-loop delay.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MessageChannel, Worker } from 'node:worker_threads';
import { terminalFlowControl } from '../src/main/core/deploy/deploy-service';
import { LogBus, type RunLogs } from '../src/main/core/logs/log-bus';
import { LogBusThread } from '../src/main/core/logs/log-bus-thread';
import { Redactor } from '../src/main/core/logs/redactor';
import { runCommand } from '../src/main/core/process/run-command';
import { percentile, type BenchResult } from './stats';

const floodMegabytes = 20;
const pacedLinesPerSecond = 4_000;
const pacedSeconds = 2;

const warmUp = 'ready\n';

type Strategy = 'bus' | 'bus never skipping' | 'bus relayed by main' | 'bus in main' | 'per-chunk' | 'per-line';

interface PipelineRun {
  characters: number;
  ms: number;
  messages: number;
  /** Characters the terminal never parsed, and were not announced as skipped either. */
  lost: number;
  /** What the bus skipped ahead of the terminal (announced in the terminal). */
  skipped: number;
  skippedBytes: number;
  notices: number;
  /** Characters of the child's output missing from the run's log file. */
  missingFromFile: number;
  peakPending: number;
  latencies: number[];
  loopDelayP99Ms: number;
  spilled: number;
  pauses: number;
}

function startTerminal(): Promise<Worker> {
  const worker = new Worker(new URL('./terminal-worker.mjs', import.meta.url));
  // Measured from a terminal that is up: its start-up is not the pipeline's latency.
  return new Promise((resolve) => worker.once('message', () => resolve(worker)));
}

/** What the terminal has parsed once `characters` are in (or nothing more came for a second). */
function terminalStats(worker: Worker, characters: number) {
  return new Promise<{
    parsed: number;
    parsedNotices: number;
    notices: number;
    peakPending: number;
    latencies: number[];
    firstAt: number;
  }>((resolve) => {
    worker.on('message', function onStats(message: { type: string }) {
      if (message.type !== 'stats') return;
      worker.off('message', onStats);
      resolve(message as never);
    });
    worker.postMessage({ type: 'expect', characters });
  });
}

async function runPipeline(strategy: Strategy, childArgs: string[], reference?: string): Promise<PipelineRun> {
  const worker = await startTerminal();
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-logs-'));
  const measureLatency = childArgs[0] === 'paced';
  let messages = 0;
  const post = (text: string) => {
    messages++;
    worker.postMessage({ type: 'write', text, measureLatency });
  };
  const redactor = new Redactor();
  redactor.add('cfy_bench_token_never_printed_42');
  let bus: RunLogs | undefined;
  /** Characters the terminal is sent besides the child's output. */
  let extra = 0;
  if (strategy === 'bus' || strategy === 'bus never skipping') {
    const channel = new MessageChannel();
    worker.postMessage({ type: 'port', port: channel.port1, measureLatency }, [channel.port1]);
    const { skipAt: _skipAt, skipKeep: _skipKeep, ...neverSkipping } = terminalFlowControl;
    bus = new LogBusThread({
      redactor,
      folder,
      emit: () => messages++,
      flowControl: strategy === 'bus' ? terminalFlowControl : neverSkipping,
      maxBatchChars: terminalFlowControl.maxBatchChars,
      consumerPort: channel.port2,
    });
    // As the app does when a plan is made, the thread is up before the run's first line (here
    // waited for: tsx compiles the thread's code when it starts from src/).
    bus.push('warm-up', 'api', warmUp);
    await bus.close('warm-up');
    extra = warmUp.length;
    await terminalStats(worker, extra);
    worker.postMessage({ type: 'restart-clock' });
  } else if (strategy === 'bus relayed by main') {
    const relayed = new LogBusThread({
      redactor,
      folder,
      emit: (_runId, chunks) => {
        messages++;
        const own = chunks.filter((chunk) => chunk.service === 'cockpit');
        worker.postMessage({
          type: 'write',
          text: chunks.map((chunk) => chunk.text).join(''),
          measureLatency,
          noticeChars: own.reduce((sum, chunk) => sum + chunk.text.length, 0),
          noticeCount: own.length,
        });
      },
      flowControl: terminalFlowControl,
      maxBatchChars: terminalFlowControl.maxBatchChars,
    });
    worker.on('message', (message: { type: string; characters?: number }) => {
      if (message.type === 'ack') relayed.acknowledge('run', message.characters!);
    });
    relayed.push('warm-up', 'api', warmUp);
    await relayed.close('warm-up');
    extra = warmUp.length;
    await terminalStats(worker, extra);
    worker.postMessage({ type: 'restart-clock' });
    bus = relayed;
  } else if (strategy === 'bus in main') {
    const inMain = new LogBus({
      redactor,
      folder,
      emit: (_runId, chunks) => post(chunks.map((chunk) => chunk.text).join('')),
      flowControl: terminalFlowControl,
      maxBatchChars: terminalFlowControl.maxBatchChars,
    });
    worker.on('message', (message: { type: string; characters?: number }) => {
      if (message.type === 'ack') inMain.acknowledge('run', message.characters!);
    });
    bus = inMain;
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  let received = 0;
  let pauses = 0;
  const pressure = bus?.backpressure('run');
  const counted = pressure && {
    isCongested: () => {
      const isCongested = pressure.isCongested();
      if (isCongested) pauses++;
      return isCongested;
    },
    whenFlowing: () => pressure.whenFlowing(),
  };
  const child = [process.execPath, path.join(import.meta.dirname, 'chatty-child.mjs'), ...childArgs];
  loopDelay.enable();
  if (bus instanceof LogBusThread) {
    await bus.runCommand('run', 'api', child, { label: 'the chatty child', timeoutMs: 600_000 });
  } else {
    await runCommand(child, {
      label: 'the chatty child',
      timeoutMs: 600_000,
      ...(counted ? { backpressure: counted } : {}),
      log: (text) => {
        received += text.length;
        if (bus) bus.push('run', 'api', text);
        else if (strategy === 'per-chunk') post(text);
        else for (const line of text.split(/(?<=\n)/)) post(line);
      },
    });
  }
  let spilled = 0;
  let skipped = 0;
  let skippedBytes = 0;
  if (bus instanceof LogBusThread) {
    const state = await bus.flowState('run');
    spilled = state?.spilled ?? 0;
    received = state?.received ?? 0;
    pauses = state?.producerPauses ?? 0;
    skipped = state?.skipped ?? 0;
    skippedBytes = state?.skippedBytes ?? 0;
    await bus.close('run');
  } else if (bus instanceof LogBus) {
    const state = bus.flowState('run');
    spilled = state?.spilled ?? 0;
    skipped = state?.skipped ?? 0;
    skippedBytes = state?.skippedBytes ?? 0;
    await bus.close('run');
  }
  const stats = await terminalStats(worker, received - skipped + extra);
  // From the terminal's first text to its last parse: the same span whichever thread read the child.
  const ms = performance.timeOrigin + performance.now() - stats.firstAt;
  if (bus instanceof LogBusThread) bus.stop();
  loopDelay.disable();
  await worker.terminate();
  // The file holds the child's output, each line prefixed with its service.
  const missingFromFile =
    bus && reference
      ? reference.length - readFileSync(path.join(folder, 'run.log'), 'utf8').replaceAll('[api] ', '').length
      : 0;
  rmSync(folder, { recursive: true, force: true });
  return {
    characters: received,
    ms,
    messages,
    lost: received - skipped + extra - (stats.parsed - stats.parsedNotices),
    skipped,
    skippedBytes,
    notices: stats.notices,
    missingFromFile,
    peakPending: stats.peakPending,
    latencies: stats.latencies,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    spilled,
    pauses,
  };
}

/** The child's whole output, read on its own: what the run file must hold, and the ceiling's input. */
async function childOutput(childArgs: string[]): Promise<string> {
  const parts: string[] = [];
  await runCommand([process.execPath, path.join(import.meta.dirname, 'chatty-child.mjs'), ...childArgs], {
    label: 'the chatty child',
    timeoutMs: 600_000,
    log: (text) => parts.push(text),
  });
  return parts.join('');
}

async function ceiling(text: string): Promise<number> {
  const worker = await startTerminal();
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
  // The flood is the same each time: read once on its own, it is what the run file must hold.
  const reference = await childOutput(flood);
  const bus = await runPipeline('bus', flood, reference);
  const neverSkipping = await runPipeline('bus never skipping', flood, reference);
  const relayed = await runPipeline('bus relayed by main', flood, reference);
  const busInMain = await runPipeline('bus in main', flood);
  const perChunk = await runPipeline('per-chunk', flood);
  const perLine = await runPipeline('per-line', flood);
  const ceilingMs = await ceiling(reference);
  const paced = ['paced', String(pacedLinesPerSecond), String(pacedSeconds)];
  const busPaced = await runPipeline('bus', paced);
  const perChunkPaced = await runPipeline('per-chunk', paced);
  const busRate = megabytesPerSecond(bus);
  const neverSkippingRate = megabytesPerSecond(neverSkipping);
  const ceilingRate = bus.characters / 1e6 / (ceilingMs / 1000);
  const p = (values: number[], rank: number) => Number(percentile(values, rank).toFixed(2));
  return {
    name: `Log pipeline: child flooding ${floodMegabytes} MB → log thread (reads it) → @xterm/headless in another thread`,
    figures: {
      'bus MB/s': Number(busRate.toFixed(1)),
      'terminal shown MB/s': Number(((bus.characters - bus.skipped) / 1e6 / (bus.ms / 1000)).toFixed(1)),
      'bus never skipping MB/s': Number(neverSkippingRate.toFixed(1)),
      'bus relayed by main MB/s': Number(megabytesPerSecond(relayed).toFixed(1)),
      'bus in main thread MB/s': Number(megabytesPerSecond(busInMain).toFixed(1)),
      'per-chunk MB/s (baseline)': Number(megabytesPerSecond(perChunk).toFixed(1)),
      'bus / per-chunk': Number((busRate / megabytesPerSecond(perChunk)).toFixed(2)),
      'per-line MB/s (baseline)': Number(megabytesPerSecond(perLine).toFixed(1)),
      'bus / per-line': Number((busRate / megabytesPerSecond(perLine)).toFixed(2)),
      'headless parse MB/s (ceiling)': Number(ceilingRate.toFixed(1)),
      'bus / ceiling': Number((busRate / ceilingRate).toFixed(2)),
      'bus never skipping / ceiling': Number((neverSkippingRate / ceilingRate).toFixed(2)),
      'bus messages': bus.messages,
      'per-chunk messages': perChunk.messages,
      'per-line messages': perLine.messages,
      'bus bytes lost': bus.missingFromFile,
      'terminal skipped bytes': bus.skippedBytes,
      'terminal skip notices': bus.notices,
      'terminal chars unaccounted': bus.lost,
      'bus never skipping bytes lost': neverSkipping.missingFromFile,
      'bus never skipping: terminal chars unaccounted': neverSkipping.lost,
      'bus never skipping producer pauses': neverSkipping.pauses,
      'per-chunk bytes lost': perChunk.lost,
      'bus spilled chars': bus.spilled,
      'bus producer pauses': bus.pauses,
      'bus peak pending chars': bus.peakPending,
      'per-chunk peak pending chars': perChunk.peakPending,
      'per-line peak pending chars': perLine.peakPending,
      'bus main loop delay p99 ms': Number(bus.loopDelayP99Ms.toFixed(1)),
      'bus relayed by main: main loop delay p99 ms': Number(relayed.loopDelayP99Ms.toFixed(1)),
      'bus in main thread: main loop delay p99 ms': Number(busInMain.loopDelayP99Ms.toFixed(1)),
      'per-chunk main loop delay p99 ms (baseline)': Number(perChunk.loopDelayP99Ms.toFixed(1)),
      [`bus latency p50 ms at ${pacedLinesPerSecond} lines/s`]: p(busPaced.latencies, 50),
      [`bus latency p95 ms at ${pacedLinesPerSecond} lines/s`]: p(busPaced.latencies, 95),
      [`per-chunk latency p50 ms at ${pacedLinesPerSecond} lines/s`]: p(perChunkPaced.latencies, 50),
      [`per-chunk latency p95 ms at ${pacedLinesPerSecond} lines/s`]: p(perChunkPaced.latencies, 95),
    },
    verdicts: [
      { target: '≥ 1.5× the one-message-per-line throughput', pass: busRate >= 1.5 * megabytesPerSecond(perLine) },
      { target: '≥ 20 MB/s', pass: busRate >= 20 },
      {
        target: '0 bytes lost (run file); the terminal parsed every character it was not told was skipped',
        pass: [bus, neverSkipping, relayed].every((run) => run.missingFromFile === 0 && run.lost === 0),
      },
      { target: '≥ 0.5 × the headless parse ceiling', pass: busRate >= 0.5 * ceilingRate },
      { target: 'peak pending ≤ 100 000 chars + one 200 kB batch', pass: bus.peakPending <= 300_000 },
      {
        target: 'latency p50 ≤ baseline + 1 ms, p95 ≤ 50 ms at 4,000 lines/s',
        pass:
          percentile(busPaced.latencies, 50) <= percentile(perChunkPaced.latencies, 50) + 1 &&
          percentile(busPaced.latencies, 95) <= 50,
      },
      { target: 'main event-loop delay p99 ≤ 5 ms under flood', pass: bus.loopDelayP99Ms <= 5 },
    ],
  };
}
