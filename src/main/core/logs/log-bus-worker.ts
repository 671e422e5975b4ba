/**
 * The log bus's own thread: masking, the run files, batching and flow control happen here, never
 * on the main event loop. Batches go to the consumer's port when one was given (straight to the
 * terminal's side), else back to the thread that started it; acknowledgements come from either.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { threadFaultPoint } from '../fault-points';
import { LogBus } from './log-bus';
import type { LogThreadReply, LogThreadRequest, LogThreadSetup } from './log-bus-thread';
import { Redactor } from './redactor';

const setup = workerData as LogThreadSetup;
const parent = parentPort!;
const reply = (message: LogThreadReply) => parent.postMessage(message);
const redactor = new Redactor();
const consumer: MessagePort | undefined = setup.consumerPort;
const bus = new LogBus({
  redactor,
  folder: setup.folder,
  ...(setup.flowControl ? { flowControl: setup.flowControl } : {}),
  ...(setup.holdMs !== undefined ? { holdMs: setup.holdMs } : {}),
  ...(setup.maxBatchChars !== undefined ? { maxBatchChars: setup.maxBatchChars } : {}),
  emit: (runId, chunks) => (consumer ?? parent).postMessage({ type: 'batch', runId, chunks } satisfies LogThreadReply),
  onCongestion: (runId, isCongested) => reply({ type: 'congestion', runId, isCongested }),
  onProgress: (runId) => reply({ type: 'progress', runId }),
});

/** The commands this thread runs, to cancel them. */
const commands = new Map<number, AbortController>();

/** Runs a command, its output read here into the run's log; the parent hears of its pid and its end. */
function run(message: Extract<LogThreadRequest, { type: 'run' }>): void {
  const controller = new AbortController();
  commands.set(message.id, controller);
  void bus
    .runCommand(message.runId, message.service, message.command, {
      ...message.options,
      signal: controller.signal,
      onStarted: (pid) => reply({ type: 'started', id: message.id, pid }),
    })
    .then((result) => {
      commands.delete(message.id);
      reply({ type: 'ran', id: message.id, result });
      exitIfDone();
    });
}

/** What was taken from the parent, told once per turn of this thread's loop (not per message). */
const taken = new Map<string, number>();
function took(runId: string, characters: number): void {
  if (taken.size === 0)
    setImmediate(() => {
      for (const [run, total] of taken) reply({ type: 'took', runId: run, characters: total });
      taken.clear();
    });
  taken.set(runId, (taken.get(runId) ?? 0) + characters);
}

async function handle(message: LogThreadRequest): Promise<void> {
  switch (message.type) {
    case 'secret':
      return redactor.add(message.value);
    case 'push': {
      threadFaultPoint('log-thread');
      let characters = 0;
      for (const text of message.texts) {
        bus.push(message.runId, message.service, text);
        characters += text.length;
      }
      return took(message.runId, characters);
    }
    case 'ack':
      return bus.acknowledge(message.runId, message.characters);
    case 'reset':
      return bus.resetFlow();
    case 'run':
      return run(message);
    case 'cancel':
      return commands.get(message.id)?.abort();
    case 'stop':
      isStopping = true;
      return;
    case 'flow-state':
      return reply({ type: 'flow-state', id: message.id, state: bus.flowState(message.runId) });
    case 'close':
      try {
        await bus.close(message.runId);
        return reply({ type: 'closed', id: message.id });
      } catch (error) {
        return reply({ type: 'closed', id: message.id, error: (error as Error).message });
      }
  }
}

let isStopping = false;

/** Asked to stop: the thread ends once no command runs, every run is closed and its consumer has all of it. */
function exitIfDone(): void {
  if (isStopping && commands.size === 0 && bus.isIdle()) process.exit(0);
}

const onMessage = (message: LogThreadRequest) =>
  void handle(message)
    .catch((error: unknown) => reply({ type: 'failed', message: (error as Error).message }))
    .then(exitIfDone);
parent.on('message', onMessage);
consumer?.on('message', onMessage);
