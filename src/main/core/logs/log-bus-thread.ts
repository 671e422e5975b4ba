/**
 * The log bus in a thread of its own (`log-thread-service`: a worker thread by default, or what
 * `startHost` starts — in the desktop app a utility process), behind the same interface as the
 * bus itself: the main event loop only hands over what producers wrote and, when the consumer
 * reads batches from the thread itself (`consumerPort`, or the host's own port to the window),
 * does nothing more. Secrets reach the thread's redactor before any text that could carry them
 * (one ordered channel). Should the thread die, the bus goes on in this thread and the run's log
 * says so.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import { runCommand, type CommandResult, type LoggedCommandOptions } from '../process/run-command';
import { CongestionGate, type Backpressure } from './backpressure';
import { LogBus, type FlowControl, type FlowState, type LogBusOptions, type LogChunk, type RunLogs } from './log-bus';

/** What the thread is started with. */
export interface LogThreadSetup {
  folder: string;
  flowControl?: FlowControl;
  holdMs?: number;
  maxBatchChars?: number;
  /** Where batches go, and acknowledgements come from, instead of the parent. */
  consumerPort?: MessagePort;
}

export type LogThreadRequest =
  | { type: 'secret'; value: string }
  /** A run's output in the order written: pieces, not joined (joining would copy it once more here). */
  | { type: 'push'; runId: string; service: string; texts: string[] }
  | { type: 'ack'; runId: string; characters: number }
  | { type: 'reset' }
  /** Batches go to the consumer port sent with this (the host's own), or to the parent without one. */
  | { type: 'consumer' }
  | { type: 'stop' }
  | { type: 'flow-state'; runId: string; id: number }
  | { type: 'close'; runId: string; id: number }
  /** A command run by the thread, its output read there into the run's log. */
  | {
      type: 'run';
      id: number;
      runId: string;
      service: string;
      command: string[];
      options: Omit<LoggedCommandOptions, 'signal' | 'onStarted'>;
    }
  | { type: 'cancel'; id: number };

export type LogThreadReply =
  | { type: 'batch'; runId: string; chunks: LogChunk[] }
  | { type: 'congestion'; runId: string; isCongested: boolean }
  | { type: 'progress'; runId: string }
  | { type: 'took'; runId: string; characters: number }
  | { type: 'flow-state'; id: number; state: FlowState | undefined }
  | { type: 'closed'; id: number; error?: string }
  | { type: 'started'; id: number; pid: number }
  | { type: 'ran'; id: number; result: CommandResult }
  | { type: 'failed'; message: string };

/** What runs the thread, as this side uses it: a `Worker`, or the desktop app's utility process. */
export interface LogHost {
  postMessage(message: LogThreadRequest): void;
  on(event: 'message', listener: (reply: LogThreadReply) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  /** Whether it keeps the process alive (a worker thread does while a run's log is open). */
  ref(): void;
  unref(): void;
  /**
   * A window (re)loaded: the host gives it a new port to the thread and sends the thread the
   * other end (`consumer`), for a host whose batches go straight to the window.
   */
  reconnectConsumer?(): void;
}

export type StartLogHost = (setup: Omit<LogThreadSetup, 'consumerPort'>) => LogHost;

export interface LogBusThreadOptions extends LogBusOptions {
  /** Batches go here, straight from the thread (acknowledgements come back on it too). */
  consumerPort?: MessagePort;
  /** How long a producer waits for a consumer that acknowledges nothing (2 s). */
  maxPauseMs?: number;
  /** Starts the thread's host (a worker thread when not given). */
  startHost?: StartLogHost;
}

export class LogBusThread implements RunLogs {
  private worker?: LogHost;
  /** The bus in this thread, once the log thread failed. */
  private fallback?: LogBus;
  private readonly congestion: CongestionGate;
  private readonly open = new Set<string>();
  private readonly waiting = new Map<number, (reply: LogThreadReply) => void>();
  /** Commands the thread runs, until they end. */
  private readonly commands = new Map<
    number,
    { label: string; pid?: number; onStarted?: (pid: number) => void; resolve: (result: CommandResult) => void }
  >();
  private nextId = 1;
  private isHeld = true;
  private isStopping = false;
  private pending: { runId: string; service: string; texts: string[]; characters: number }[] = [];
  private pendingChars = 0;
  /** Characters handed to the thread and not taken yet, per run. */
  private readonly inFlight = new Map<string, number>();
  private readonly threadBehind = new Set<string>();
  private readonly congestedInThread = new Set<string>();
  private isSendScheduled = false;
  private stopForwardingSecrets?: () => void;

  constructor(private readonly options: LogBusThreadOptions) {
    this.congestion = new CongestionGate(options.maxPauseMs);
  }

  push(runId: string, service: string, text: string): void {
    if (this.fallback) return this.fallback.push(runId, service, text);
    this.open.add(runId);
    // What comes in one turn of the event loop goes over in one message per run and service: a
    // child's output arrives in many small reads, each message costs both threads. The pieces are
    // kept apart: concatenated, the message would be copied whole before it is serialised.
    const last = this.pending.at(-1);
    if (last && last.runId === runId && last.service === service) {
      last.texts.push(text);
      last.characters += text.length;
    } else this.pending.push({ runId, service, texts: [text], characters: text.length });
    this.pendingChars += text.length;
    if (this.pendingChars >= 65_536) this.sendPending();
    else if (!this.isSendScheduled) {
      this.isSendScheduled = true;
      setImmediate(() => this.sendPending());
    }
  }

  acknowledge(runId: string, characters: number): void {
    if (this.fallback) return this.fallback.acknowledge(runId, characters);
    if (this.worker) this.post({ type: 'ack', runId, characters });
  }

  resetFlow(): void {
    if (this.fallback) return this.fallback.resetFlow();
    if (!this.worker) return;
    this.worker.reconnectConsumer?.();
    this.post({ type: 'reset' });
  }

  fileOf(runId: string): string {
    return path.join(this.options.folder, `${runId}.log`);
  }

  backpressure(runId: string): Backpressure {
    return this.fallback ? this.fallback.backpressure(runId) : this.congestion.backpressure(runId);
  }

  /** How the run's stream is doing in the thread. */
  async flowState(runId: string): Promise<FlowState | undefined> {
    if (this.fallback) return this.fallback.flowState(runId);
    if (!this.worker) return undefined;
    const reply = await this.ask((id) => ({ type: 'flow-state', runId, id }));
    return reply.type === 'flow-state' ? reply.state : undefined;
  }

  async close(runId: string): Promise<void> {
    if (this.pending.length > 0) this.sendPending();
    if (this.fallback) return this.fallback.close(runId);
    if (!this.worker) return;
    const reply = await this.ask((id) => ({ type: 'close', runId, id }));
    this.open.delete(runId);
    this.inFlight.delete(runId);
    this.threadBehind.delete(runId);
    this.congestedInThread.delete(runId);
    this.congestion.set(runId, false);
    if (this.open.size === 0 && this.isHeld) {
      this.isHeld = false;
      this.worker?.unref();
    }
    if (reply.type === 'closed' && reply.error)
      throw new Error(`The log of run ${runId} could not be closed: ${reply.error}`);
  }

  runCommand(
    runId: string,
    service: string,
    command: readonly string[],
    options: LoggedCommandOptions,
  ): Promise<CommandResult> {
    if (this.fallback) return this.fallback.runCommand(runId, service, command, options);
    const { signal, onStarted, ...rest } = options;
    // Not started at all once cancelled: as `runCommand` itself answers.
    if (signal?.aborted) return runCommand(command, { ...options, log: () => undefined });
    this.open.add(runId);
    const id = this.nextId++;
    const cancel = () => {
      if (this.commands.has(id) && this.worker) this.post({ type: 'cancel', id });
    };
    return new Promise<CommandResult>((resolve) => {
      this.commands.set(id, { label: options.label, ...(onStarted ? { onStarted } : {}), resolve });
      signal?.addEventListener('abort', cancel, { once: true });
      // The environment as this thread has it now (the thread's copy dates from its start).
      this.post({
        type: 'run',
        id,
        runId,
        service,
        command: [...command],
        options: { ...rest, env: { ...(process.env as Record<string, string>), ...rest.env } },
      });
    }).finally(() => signal?.removeEventListener('abort', cancel));
  }

  /** Starts the thread now (it loads its code) rather than on a run's first line. */
  prepare(): void {
    if (!this.fallback && !this.isStopping) this.start();
  }

  /**
   * The thread ends once every run's log is closed and its consumer has received all of it (a run
   * that is still going, or a terminal catching up, keeps it).
   */
  stop(): void {
    if (this.isStopping) return;
    this.isStopping = true;
    if (this.worker) this.post({ type: 'stop' });
  }

  private sendPending(): void {
    this.isSendScheduled = false;
    const pending = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    if (this.fallback)
      for (const { runId, service, texts } of pending)
        for (const text of texts) this.fallback.push(runId, service, text);
    else
      for (const { runId, service, texts, characters } of pending) {
        this.inFlight.set(runId, (this.inFlight.get(runId) ?? 0) + characters);
        this.post({ type: 'push', runId, service, texts });
        this.updateCongestion(runId);
      }
  }

  /**
   * A run is congested while the thread says so (its consumer is behind) or while more than the
   * thread's own bound waits for the thread itself (it is behind the producer).
   */
  private updateCongestion(runId: string): void {
    const flow = this.options.flowControl;
    if (!flow) return;
    const inFlight = this.inFlight.get(runId) ?? 0;
    const wasBehind = this.threadBehind.has(runId);
    const isBehind = wasBehind
      ? inFlight > (flow.flowingAt ?? flow.highWatermark)
      : inFlight > (flow.congestedAt ?? 4 * flow.highWatermark);
    if (isBehind) this.threadBehind.add(runId);
    else this.threadBehind.delete(runId);
    if (isBehind && wasBehind) this.congestion.progress(runId);
    this.congestion.set(runId, isBehind || this.congestedInThread.has(runId));
  }

  private post(message: LogThreadRequest): void {
    if (message.type !== 'push' && this.pending.length > 0) this.sendPending();
    const worker = this.start();
    // The thread keeps the process alive only while a run's log is open.
    const shouldHold = this.open.size > 0;
    if (shouldHold !== this.isHeld) {
      this.isHeld = shouldHold;
      if (shouldHold) worker.ref();
      else worker.unref();
    }
    worker.postMessage(message);
  }

  private ask(request: (id: number) => LogThreadRequest): Promise<LogThreadReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.post(request(id));
    });
  }

  private start(): LogHost {
    if (this.worker) return this.worker;
    const setup: Omit<LogThreadSetup, 'consumerPort'> = {
      folder: this.options.folder,
      ...(this.options.flowControl ? { flowControl: this.options.flowControl } : {}),
      ...(this.options.holdMs !== undefined ? { holdMs: this.options.holdMs } : {}),
      ...(this.options.maxBatchChars !== undefined ? { maxBatchChars: this.options.maxBatchChars } : {}),
    };
    const { consumerPort, startHost } = this.options;
    const worker = startHost
      ? startHost(setup)
      : startLogWorker({ ...setup, ...(consumerPort ? { consumerPort } : {}) }, consumerPort ? [consumerPort] : []);
    this.worker = worker;
    this.isHeld = true;
    if (this.open.size === 0) {
      // Waiting for a run keeps no process alive.
      worker.unref();
      this.isHeld = false;
    }
    this.stopForwardingSecrets = this.options.redactor.onAdd((value) => worker.postMessage({ type: 'secret', value }));
    worker.on('message', (reply: LogThreadReply) => this.receive(reply));
    worker.on('error', (error: Error) => this.fail(error));
    worker.on('exit', (code: number) => {
      if (this.worker !== worker) return;
      if (this.isStopping && code === 0) {
        this.stopForwardingSecrets?.();
        this.worker = undefined;
      } else this.fail(new Error(`it exited with code ${code}`));
    });
    return worker;
  }

  private receive(reply: LogThreadReply): void {
    switch (reply.type) {
      case 'batch':
        return this.options.emit(reply.runId, reply.chunks);
      case 'congestion':
        if (reply.isCongested) this.congestedInThread.add(reply.runId);
        else this.congestedInThread.delete(reply.runId);
        return this.updateCongestion(reply.runId);
      case 'took':
        this.inFlight.set(reply.runId, (this.inFlight.get(reply.runId) ?? 0) - reply.characters);
        return this.updateCongestion(reply.runId);
      case 'progress':
        return this.congestion.progress(reply.runId);
      case 'started': {
        const command = this.commands.get(reply.id);
        if (!command) return;
        command.pid = reply.pid;
        return command.onStarted?.(reply.pid);
      }
      case 'ran': {
        const command = this.commands.get(reply.id);
        this.commands.delete(reply.id);
        return command?.resolve(reply.result);
      }
      case 'flow-state':
      case 'closed': {
        const resolve = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        return resolve?.(reply);
      }
      case 'failed':
        for (const runId of this.open)
          this.options.emit(runId, [{ service: 'cockpit', text: `The log thread: ${reply.message}\n` }]);
    }
  }

  /** The thread died: the bus goes on here, and each open run's log says what happened. */
  private fail(error: Error): void {
    this.stopForwardingSecrets?.();
    this.worker = undefined;
    this.fallback = new LogBus(this.options);
    for (const runId of this.open) {
      this.congestion.set(runId, false);
      this.fallback.push(
        runId,
        'cockpit',
        `The log thread stopped (${error.message}); the log goes on in the main process — output just before this line may be missing from the terminal and this file.\n`,
      );
    }
    for (const [id, resolve] of this.waiting) resolve({ type: 'closed', id });
    this.waiting.clear();
    // Its children lost their reader: the step fails (it is never started again), saying what may still run.
    for (const { label, pid, resolve } of this.commands.values())
      resolve({
        ok: false,
        detail: `${label} lost its log: the log thread stopped (${error.message})${pid !== undefined ? `; it may still run as pid ${pid}` : ''}`,
      });
    this.commands.clear();
  }
}

/**
 * The built worker beside this module (the app's and the CLI's bundles), or its TypeScript
 * source through tsx (the tests, `npm run bench`, the CLI run from `src/`). A `Worker` is a
 * `LogHost` as it is.
 */
function startLogWorker(setup: LogThreadSetup, transferList: MessagePort[]): Worker {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = ['log-bus-worker.mjs', 'log-bus-worker.js'].map((name) => path.join(here, name)).find(existsSync);
  const options = { workerData: setup, transferList, stdout: false, stderr: false };
  if (built) return new Worker(built, options);
  const source = pathToFileURL(path.join(here, 'log-bus-worker.ts')).href;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`,
    { ...options, eval: true },
  );
}
