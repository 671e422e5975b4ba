/**
 * The log bus: every provider's output goes through it. It drops control sequences other than
 * colours, masks secrets (also split across chunks), appends everything to the run's log file, and sends the renderer batches — flushed on
 * the next event-loop turn, or at once past a size bound — never one message per chunk.
 *
 * With flow control, the consumer acknowledges what its terminal has parsed; past a high
 * watermark of unacknowledged characters the bus stops sending and holds what comes, spilling
 * it to a file past a memory bound, and resumes below the low watermark: a flood never loses a
 * byte and never buries the terminal. With skipping on (`skipAt`), what waits for a consumer far
 * behind is cut to its newest part instead, with a line saying so; the run's file has it all.
 */
import {
  appendFileSync,
  closeSync,
  createWriteStream,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import path from 'node:path';
import { formatSize } from '../../../shared/format-size';
import { TerminalTextFilter } from '../../../shared/terminal-text';
import { runCommand, type CommandResult, type LoggedCommandOptions } from '../process/run-command';
import { CongestionGate, type Backpressure } from './backpressure';
import type { FlowState, LogBusOptions, LogChunk, RunLogs } from './run-logs';
import { TimedStreamRedactor } from './stream-redactor';

export type { FlowControl, FlowState, LogBusOptions, LogChunk, RunLogs } from './run-logs';

/** Raw UTF-8 text in a file, and in memory only which service each stretch of bytes belongs to. */
interface Spill {
  file: string;
  fd: number;
  writtenBytes: number;
  readBytes: number;
  segments: { service: string; bytes: number }[];
  /** Characters written to the spill and not yet read back. */
  pendingChars: number;
}

interface RunStream {
  file: WriteStream;
  /** Per service: control sequences filtered out, then secrets masked. */
  redactors: Map<string, { filter: TerminalTextFilter; redactor: TimedStreamRedactor }>;
  /** Services whose last written text ended mid-line (no prefix before their next text). */
  midLine: Set<string>;
  queue: LogChunk[];
  queuedChars: number;
  isFlushScheduled: boolean;
  unacknowledged: number;
  peakUnacknowledged: number;
  isPaused: boolean;
  isClosed: boolean;
  /** The producer was asked to pause. */
  isCongested: boolean;
  spill?: Spill;
  spilledTotal: number;
  received: number;
  producerPauses: number;
  skipped: number;
  skippedBytes: number;
  /** The last text sent to the consumer ended mid-line. */
  sentMidLine: boolean;
  /** The line that stands for what was skipped, while it still waits at the queue's front. */
  skipNotice?: { chunk: LogChunk; text: string; bytes: number };
}

export class LogBus implements RunLogs {
  private readonly runs = new Map<string, RunStream>();
  private readonly congestion = new CongestionGate();
  private readonly progressReportedAt = new Map<string, number>();

  constructor(private readonly options: LogBusOptions) {
    // Spills of an earlier session are leftovers: their runs' logs are complete in the log files.
    try {
      for (const name of readdirSync(options.folder))
        if (name.endsWith('.spill')) rmSync(path.join(options.folder, name), { force: true });
    } catch {
      // No folder yet: nothing to clean.
    }
  }

  /** The consumer has shown `characters` more of a run's output. */
  acknowledge(runId: string, characters: number): void {
    const run = this.runs.get(runId);
    const flow = this.options.flowControl;
    if (!run || !flow) return;
    run.unacknowledged = Math.max(0, run.unacknowledged - characters);
    if (run.isCongested) this.reportProgress(runId);
    if (run.isPaused && run.unacknowledged <= flow.lowWatermark) {
      run.isPaused = false;
      this.flush(runId, run);
    }
  }

  /** Forgets what a consumer that went away (a reloaded window) never acknowledged. */
  resetFlow(): void {
    for (const [runId, run] of this.runs) {
      run.unacknowledged = 0;
      run.isPaused = false;
      this.flush(runId, run);
    }
  }

  backpressure(runId: string): Backpressure {
    return this.congestion.backpressure(runId);
  }

  prepare(): void {
    // Ready as it is.
  }

  runCommand(
    runId: string,
    service: string,
    command: readonly string[],
    options: LoggedCommandOptions,
  ): Promise<CommandResult> {
    return runCommand(command, {
      ...options,
      log: (text) => this.push(runId, service, text),
      backpressure: this.backpressure(runId),
    });
  }

  stop(): void {
    // Nothing to free: the open runs' files close with their runs.
  }

  /** No run is open or still flowing to its consumer. */
  isIdle(): boolean {
    return this.runs.size === 0;
  }

  flowState(runId: string): FlowState | undefined {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    return {
      unacknowledged: run.unacknowledged,
      peakUnacknowledged: run.peakUnacknowledged,
      held: run.queuedChars + (run.spill?.pendingChars ?? 0),
      spilled: run.spilledTotal,
      isPaused: run.isPaused,
      received: run.received,
      producerPauses: run.producerPauses,
      skipped: run.skipped,
      skippedBytes: run.skippedBytes,
    };
  }

  /** The full log file of a run. */
  fileOf(runId: string): string {
    return path.join(this.options.folder, `${runId}.log`);
  }

  push(runId: string, service: string, text: string): void {
    const run = this.open(runId);
    run.received += text.length;
    let output = run.redactors.get(service);
    if (!output) {
      output = {
        filter: new TerminalTextFilter(),
        redactor: new TimedStreamRedactor(
          this.options.redactor,
          (shown) => this.enqueue(runId, run, service, shown),
          this.options.holdMs,
        ),
      };
      run.redactors.set(service, output);
    }
    output.redactor.push(output.filter.push(text));
  }

  /** Flushes everything of a run and closes its file. */
  async close(runId: string): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) return;
    for (const { redactor } of run.redactors.values()) redactor.end();
    this.flush(runId, run);
    run.isClosed = true;
    // What the consumer has not received yet keeps flowing as it acknowledges.
    if (!this.hasWaiting(run)) this.forget(runId, run);
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
        unacknowledged: 0,
        peakUnacknowledged: 0,
        isPaused: false,
        isClosed: false,
        isCongested: false,
        spilledTotal: 0,
        received: 0,
        producerPauses: 0,
        skipped: 0,
        skippedBytes: 0,
        sentMidLine: false,
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
    if (run.spill) {
      this.writeSpill(run, [{ service, text }]);
      return;
    }
    // Adjacent text of one service is joined, up to a batch: a held queue of one long string
    // would be copied whole each time a batch is cut from its front.
    const last = run.queue.at(-1);
    if (last && last.service === service && last.text.length + text.length <= this.maxBatchChars()) last.text += text;
    else run.queue.push({ service, text });
    run.queuedChars += text.length;
    if (run.isPaused) {
      const flow = this.options.flowControl;
      if (flow?.skipAt !== undefined && run.queuedChars > flow.skipAt)
        this.skipAhead(runId, run, flow.skipKeep ?? flow.skipAt / 4);
      this.updateCongestion(runId, run);
      if (run.queuedChars > (flow?.maxHeldChars ?? 4_000_000)) {
        const held = run.queue;
        run.queue = [];
        run.queuedChars = 0;
        this.writeSpill(run, held);
      }
      return;
    }
    if (run.queuedChars >= this.maxBatchChars()) this.flush(runId, run);
    else if (!run.isFlushScheduled) {
      run.isFlushScheduled = true;
      setImmediate(() => this.flush(runId, run));
    }
  }

  private flush(runId: string, run: RunStream): void {
    run.isFlushScheduled = false;
    const flow = this.options.flowControl;
    while (!run.isPaused) {
      const batch = this.takeBatch(run);
      if (batch.length === 0) break;
      const characters = batch.reduce((sum, chunk) => sum + chunk.text.length, 0);
      if (flow) {
        run.unacknowledged += characters;
        run.peakUnacknowledged = Math.max(run.peakUnacknowledged, run.unacknowledged);
        if (run.unacknowledged >= flow.highWatermark) run.isPaused = true;
      }
      run.sentMidLine = !batch.at(-1)!.text.endsWith('\n');
      this.options.emit(runId, batch);
    }
    this.updateCongestion(runId, run);
    if (run.isClosed && !this.hasWaiting(run)) this.forget(runId, run);
  }

  private reportProgress(runId: string): void {
    this.congestion.progress(runId);
    const now = performance.now();
    // At most ten a second: a producer only needs to know the consumer is alive.
    if (now - (this.progressReportedAt.get(runId) ?? 0) < 100) return;
    this.progressReportedAt.set(runId, now);
    this.options.onProgress?.(runId);
  }

  private updateCongestion(runId: string, run: RunStream): void {
    const flow = this.options.flowControl;
    if (!flow) return;
    const held = run.queuedChars + (run.spill?.pendingChars ?? 0);
    const isCongested = run.isCongested
      ? held > (flow.flowingAt ?? flow.highWatermark)
      : held > (flow.congestedAt ?? 4 * flow.highWatermark);
    if (isCongested === run.isCongested) return;
    run.isCongested = isCongested;
    if (isCongested) run.producerPauses++;
    this.congestion.set(runId, isCongested);
    this.options.onCongestion?.(runId, isCongested);
  }

  private maxBatchChars(): number {
    return this.options.maxBatchChars ?? 200_000;
  }

  /** Up to one batch of what waits, oldest first: the spill before the memory queue. */
  private takeBatch(run: RunStream): LogChunk[] {
    if (run.spill) {
      const batch = this.readSpill(run);
      if (batch.length > 0) return batch;
    }
    // Without flow control a batch is whatever waited; with it, batches are cut to size.
    if (!this.options.flowControl || run.queuedChars <= this.maxBatchChars()) {
      const batch = run.queue;
      run.queue = [];
      run.queuedChars = 0;
      return batch;
    }
    const batch: LogChunk[] = [];
    let size = 0;
    while (run.queue.length > 0 && size < this.maxBatchChars()) {
      const chunk = run.queue[0]!;
      const room = this.maxBatchChars() - size;
      if (chunk.text.length <= room) {
        batch.push(run.queue.shift()!);
        size += chunk.text.length;
      } else {
        batch.push({ service: chunk.service, text: chunk.text.slice(0, room) });
        chunk.text = chunk.text.slice(room);
        size += room;
      }
    }
    run.queuedChars -= size;
    return batch;
  }

  /**
   * The consumer is too far behind: the oldest of what waits for it is dropped — never the
   * newest `keep` characters, cut after a line's end — and one line of the cockpit's stands in
   * its place (still unsent, the line from an earlier skip counts this one too).
   */
  private skipAhead(runId: string, run: RunStream, keep: number): void {
    let bytes = 0;
    const notice = run.skipNotice;
    if (notice && run.queue[0] === notice.chunk && notice.chunk.text === notice.text) {
      run.queue.shift();
      run.queuedChars -= notice.text.length;
      bytes = notice.bytes;
    }
    let toDrop = run.queuedChars - keep;
    while (toDrop > 0 && run.queue.length > 1) {
      const chunk = run.queue[0]!;
      const lineEnd = chunk.text.length <= toDrop ? -1 : chunk.text.indexOf('\n', toDrop - 1);
      const dropped = lineEnd === -1 ? chunk.text : chunk.text.slice(0, lineEnd + 1);
      if (lineEnd === -1) run.queue.shift();
      else chunk.text = chunk.text.slice(lineEnd + 1);
      const droppedBytes = Buffer.byteLength(dropped, 'utf8');
      run.queuedChars -= dropped.length;
      run.skipped += dropped.length;
      run.skippedBytes += droppedBytes;
      bytes += droppedBytes;
      toDrop -= dropped.length;
      if (lineEnd !== -1) break;
    }
    const text = `${run.sentMidLine ? '\n' : ''}\u001b[0m\u001b[2m⋯ ${formatSize(bytes)} of output skipped here: the live view fell behind. The run's log has every line: ${this.fileOf(runId)}\u001b[0m\n`;
    const chunk = { service: 'cockpit', text };
    run.queue.unshift(chunk);
    run.queuedChars += text.length;
    run.skipNotice = { chunk, text, bytes };
  }

  private writeSpill(run: RunStream, chunks: LogChunk[]): void {
    if (chunks.length === 0) return;
    if (!run.spill) {
      const file = `${run.file.path as string}.spill`.replace(/\.log\.spill$/, '.spill');
      run.spill = {
        file,
        fd: openSync(file, 'w+', 0o600),
        writtenBytes: 0,
        readBytes: 0,
        segments: [],
        pendingChars: 0,
      };
    }
    const spill = run.spill;
    const buffers = chunks.map((chunk) => Buffer.from(chunk.text, 'utf8'));
    appendFileSync(spill.fd, buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers));
    chunks.forEach((chunk, index) => {
      const bytes = buffers[index]!.length;
      const last = spill.segments.at(-1);
      if (last && last.service === chunk.service) last.bytes += bytes;
      else spill.segments.push({ service: chunk.service, bytes });
      spill.writtenBytes += bytes;
      spill.pendingChars += chunk.text.length;
      run.spilledTotal += chunk.text.length;
    });
  }

  /** Reads back about one batch from the spill; removes it once drained. */
  private readSpill(run: RunStream): LogChunk[] {
    const spill = run.spill!;
    const batch: LogChunk[] = [];
    let size = 0;
    while (size < this.maxBatchChars() && spill.segments.length > 0) {
      const segment = spill.segments[0]!;
      // A character is at least one byte: this many bytes never exceed the room left.
      let bytes = Math.min(segment.bytes, this.maxBatchChars() - size);
      const buffer = Buffer.alloc(bytes + 3);
      const read = readSync(spill.fd, buffer, 0, Math.min(segment.bytes, bytes + 3), spill.readBytes);
      // Never cut a character: back off to the start of the one under the cut.
      while (bytes < segment.bytes && bytes > 0 && (buffer[bytes]! & 0xc0) === 0x80) bytes--;
      if (bytes === 0 || read === 0) break;
      const text = buffer.subarray(0, bytes).toString('utf8');
      batch.push({ service: segment.service, text });
      size += text.length;
      spill.readBytes += bytes;
      segment.bytes -= bytes;
      if (segment.bytes === 0) spill.segments.shift();
    }
    spill.pendingChars -= size;
    if (spill.segments.length === 0) {
      closeSync(spill.fd);
      rmSync(spill.file, { force: true });
      run.spill = undefined;
    }
    return batch;
  }

  private hasWaiting(run: RunStream): boolean {
    return run.queue.length > 0 || run.spill !== undefined;
  }

  private forget(runId: string, run: RunStream): void {
    if (this.runs.get(runId) !== run) return;
    this.runs.delete(runId);
    this.progressReportedAt.delete(runId);
    if (!run.isCongested) return;
    this.congestion.set(runId, false);
    this.options.onCongestion?.(runId, false);
  }
}
