/**
 * The log bus's own thread, whichever kind runs it — a worker thread (`log-bus-worker`), or in
 * the desktop app a utility process (`log-bus-utility`): masking, the run files, batching and
 * flow control happen here, never on the main event loop. Batches go to the consumer's port
 * when there is one (straight to the terminal's side), else back to the parent; the parent may
 * hand over a new consumer port (a window that reloaded). From the consumer's port only
 * acknowledgements are taken: it is the window's, and the window may ask nothing else.
 */
import { z } from 'zod';
import { RunId } from '../../../shared/contract/common';
import { threadFaultPoint } from '../fault-points';
import { LogBus } from './log-bus';
import type { LogThreadReply, LogThreadRequest, LogThreadSetup } from './log-bus-thread';
import { Redactor } from './redactor';

/** One end of a channel, as the thread uses it, whatever the runtime's port looks like. */
export interface ThreadPort {
  post(message: LogThreadReply): void;
  /** Each message, with the consumer port it brought (a `consumer` request carries one). */
  listen(handler: (message: unknown, port?: ThreadPort) => void): void;
  close(): void;
}

/** What `deploy:log-ack` takes, as the contract says it. */
const Acknowledgement = z.strictObject({
  type: z.literal('ack'),
  runId: RunId,
  characters: z.number().int().nonnegative().max(100_000_000),
});

export function serveLogThread(
  setup: Omit<LogThreadSetup, 'consumerPort'>,
  parent: ThreadPort,
  firstConsumer?: ThreadPort,
): void {
  const reply = (message: LogThreadReply) => parent.post(message);
  const redactor = new Redactor();
  let consumer = firstConsumer;
  const bus = new LogBus({
    redactor,
    folder: setup.folder,
    ...(setup.flowControl ? { flowControl: setup.flowControl } : {}),
    ...(setup.holdMs !== undefined ? { holdMs: setup.holdMs } : {}),
    ...(setup.maxBatchChars !== undefined ? { maxBatchChars: setup.maxBatchChars } : {}),
    emit: (runId, chunks) => (consumer ?? parent).post({ type: 'batch', runId, chunks }),
    onCongestion: (runId, isCongested) => reply({ type: 'congestion', runId, isCongested }),
    onProgress: (runId) => reply({ type: 'progress', runId }),
  });

  /** The commands this thread runs, to cancel them. */
  const commands = new Map<number, AbortController>();
  let isStopping = false;

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

  /** The consumer's acknowledgements; anything else it sends is dropped. */
  function listenToConsumer(port: ThreadPort): void {
    port.listen((message) => {
      const parsed = Acknowledgement.safeParse(message);
      if (parsed.success && port === consumer) bus.acknowledge(parsed.data.runId, parsed.data.characters);
    });
  }

  async function handle(message: LogThreadRequest, port?: ThreadPort): Promise<void> {
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
      case 'consumer':
        // A new window: batches go to its port from now on, or to the parent when it has none
        // (a `reset` follows, resending what waits).
        consumer?.close();
        consumer = port;
        if (port) listenToConsumer(port);
        return;
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

  /** Asked to stop: the thread ends once no command runs, every run is closed and its consumer has all of it. */
  function exitIfDone(): void {
    if (isStopping && commands.size === 0 && bus.isIdle()) process.exit(0);
  }

  parent.listen(
    (message, port) =>
      void handle(message as LogThreadRequest, port)
        .catch((error: unknown) => reply({ type: 'failed', message: (error as Error).message }))
        .then(exitIfDone),
  );
  if (consumer) listenToConsumer(consumer);
}
