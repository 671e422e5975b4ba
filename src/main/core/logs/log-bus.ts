/**
 * The log bus: every provider's output goes through it. It masks secrets (also split across
 * chunks), appends everything to the run's log file, and sends the renderer batches — flushed on
 * the next event-loop turn, or at once past a size bound — never one message per chunk.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Redactor } from './redactor';
import { StreamRedactor } from './stream-redactor';

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
  /** A tail held back as a possible secret is let go after this long. */
  holdMs?: number;
}

interface RunStream {
  file: WriteStream;
  redactors: Map<string, StreamRedactor>;
  /** Services whose last written text ended mid-line (no prefix before their next text). */
  midLine: Set<string>;
  queue: LogChunk[];
  queuedChars: number;
  isFlushScheduled: boolean;
  holdTimer?: ReturnType<typeof setTimeout>;
}

export class LogBus {
  private readonly runs = new Map<string, RunStream>();

  constructor(private readonly options: LogBusOptions) {}

  /** The full log file of a run. */
  fileOf(runId: string): string {
    return path.join(this.options.folder, `${runId}.log`);
  }

  push(runId: string, service: string, text: string): void {
    const run = this.open(runId);
    let redactor = run.redactors.get(service);
    if (!redactor) {
      redactor = new StreamRedactor(this.options.redactor);
      run.redactors.set(service, redactor);
    }
    this.enqueue(runId, run, service, redactor.push(text));
    if (redactor.heldLength() > 0 && !run.holdTimer) {
      run.holdTimer = setTimeout(() => {
        run.holdTimer = undefined;
        for (const [held, streaming] of run.redactors) this.enqueue(runId, run, held, streaming.flush());
      }, this.options.holdMs ?? 100);
      run.holdTimer.unref?.();
    }
  }

  /** Flushes everything of a run and closes its file. */
  async close(runId: string): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) return;
    if (run.holdTimer) clearTimeout(run.holdTimer);
    for (const [service, streaming] of run.redactors) this.enqueue(runId, run, service, streaming.flush());
    this.flush(runId, run);
    this.runs.delete(runId);
    await new Promise<void>((resolve) => run.file.end(resolve));
  }

  private open(runId: string): RunStream {
    let run = this.runs.get(runId);
    if (!run) {
      mkdirSync(this.options.folder, { recursive: true });
      run = {
        file: createWriteStream(this.fileOf(runId), { flags: 'a', mode: 0o600 }),
        redactors: new Map(),
        midLine: new Set(),
        queue: [],
        queuedChars: 0,
        isFlushScheduled: false,
      };
      this.runs.set(runId, run);
    }
    return run;
  }

  private enqueue(runId: string, run: RunStream, service: string, text: string): void {
    if (text.length === 0) return;
    const prefixed = text.replace(/^(?=.)/gm, `[${service}] `);
    run.file.write(run.midLine.has(service) ? prefixed.replace(`[${service}] `, '') : prefixed);
    if (text.endsWith('\n')) run.midLine.delete(service);
    else run.midLine.add(service);
    const last = run.queue.at(-1);
    if (last && last.service === service) last.text += text;
    else run.queue.push({ service, text });
    run.queuedChars += text.length;
    if (run.queuedChars >= (this.options.maxBatchChars ?? 200_000)) this.flush(runId, run);
    else if (!run.isFlushScheduled) {
      run.isFlushScheduled = true;
      setImmediate(() => this.flush(runId, run));
    }
  }

  private flush(runId: string, run: RunStream): void {
    run.isFlushScheduled = false;
    if (run.queue.length === 0) return;
    const chunks = run.queue;
    run.queue = [];
    run.queuedChars = 0;
    this.options.emit(runId, chunks);
  }
}
