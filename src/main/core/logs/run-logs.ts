/**
 * What the deploys see of a run's logs, whichever thread does the work: the chunks, the bus's
 * options, its flow control (and the terminal's), and how a run's stream is doing.
 */
import type { CommandResult, LoggedCommandOptions } from '../process/run-command';
import type { Backpressure } from './backpressure';
import type { Redactor } from './redactor';

export interface LogChunk {
  service: string;
  text: string;
}

export interface LogBusOptions {
  redactor: Redactor;
  /** Where each run's full log is written (`<data>/deploys/<platform>`). */
  folder: string;
  emit(runId: string, chunks: LogChunk[]): void;
  /** Flush at once when this many characters wait. */
  maxBatchChars?: number;
  /** A tail held back as a possible secret goes out masked once nothing more came for this long. */
  holdMs?: number;
  /** Pause sending past `highWatermark` unacknowledged characters; resume at `lowWatermark`. */
  flowControl?: FlowControl;
  /**
   * The producer should pause (true) — more than `congestedAt` characters wait for the consumer —
   * or may go on (false, at `flowingAt`): back-pressure reaches the child, and the spill stays for
   * a producer that cannot pause or a consumer that stalled.
   */
  onCongestion?(runId: string, isCongested: boolean): void;
  /** The consumer acknowledged some of a congested run (at most ten times a second). */
  onProgress?(runId: string): void;
}

export interface FlowControl {
  highWatermark: number;
  lowWatermark: number;
  /** What waits in memory while paused before it is spilled to a file. */
  maxHeldChars?: number;
  /** Past this many characters waiting, the producer is asked to pause (`onCongestion`). */
  congestedAt?: number;
  /** At or below this many characters waiting, the producer may go on. */
  flowingAt?: number;
  /**
   * Skip ahead: past this many characters waiting for the consumer, the oldest of them are never
   * sent — the run's file has them — and one line in their place says how much was skipped and
   * where the full log is; the newest `skipKeep` characters (from a line's start) stay. The
   * producer then never waits for a consumer that cannot keep up.
   */
  skipAt?: number;
  skipKeep?: number;
}

/** How a run's stream is doing, for the Deploy view and the benchmarks. */
export interface FlowState {
  unacknowledged: number;
  peakUnacknowledged: number;
  held: number;
  spilled: number;
  isPaused: boolean;
  /** Characters the run's producers wrote (before masking). */
  received: number;
  /** Times the producers were asked to pause. */
  producerPauses: number;
  /** What the consumer never got (skipped ahead), in characters and in UTF-8 bytes. */
  skipped: number;
  skippedBytes: number;
}

/** A run's logs as the deploys see them, whichever thread does the work. */
export interface RunLogs {
  push(runId: string, service: string, text: string): void;
  /** The consumer has shown `characters` more of a run's output. */
  acknowledge(runId: string, characters: number): void;
  /** Forgets what a consumer that went away (a reloaded window) never acknowledged. */
  resetFlow(): void;
  /** The full log file of a run. */
  fileOf(runId: string): string;
  /** Flushes everything of a run and closes its file. */
  close(runId: string): Promise<void>;
  /** Whether the run's producers should pause now. */
  backpressure(runId: string): Backpressure;
  /** A run is likely soon (a plan was made): get ready, so its first lines wait for nothing. */
  prepare(): void;
  /** Frees what the logs hold once the runs still open are closed. */
  stop(): void;
  /**
   * Runs a command whose output is a run's log under `service`, read where the log is kept — in
   * the log thread, off the main event loop — and paused while the log's consumer is behind.
   * `onStarted` comes as soon as the child exists (from the thread: a message later; the deploy's
   * token in the child's environment covers a crash in between).
   */
  runCommand(
    runId: string,
    service: string,
    command: readonly string[],
    options: LoggedCommandOptions,
  ): Promise<CommandResult>;
}

/** What a deploy run writes its log with: lines, the producers' pause, and children read into it. */
export function runLogSinks(logs: RunLogs, runId: string) {
  return {
    log: (service: string, text: string) => logs.push(runId, service, text),
    backpressure: logs.backpressure(runId),
    runLogged: (service: string, command: readonly string[], options: LoggedCommandOptions) =>
      logs.runCommand(runId, service, command, options),
  };
}

/**
 * After xterm.js's flow-control guide: a bounded number of unparsed characters in the terminal
 * (at most 200k, resuming at 150k: the terminal always has work while an acknowledgement travels
 * between threads), in 32k batches. Past 1M characters waiting for it (a flood faster than it
 * parses, or a window that acknowledges nothing), the live view skips ahead to the newest 250k
 * and says so: a deploy never waits for its window, and the run's file keeps every byte. The
 * child is paused only while the log thread itself is behind it (1M characters, until 250k).
 */
export const terminalFlowControl: FlowControl & { maxBatchChars: number } = {
  maxBatchChars: 32_000,
  highWatermark: 200_000,
  lowWatermark: 150_000,
  maxHeldChars: 4_000_000,
  congestedAt: 1_000_000,
  flowingAt: 250_000,
  skipAt: 1_000_000,
  skipKeep: 250_000,
};
