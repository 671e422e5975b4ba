/**
 * The log bus's thread as a worker thread (the CLI, the browser mode, the tests and the bench):
 * the thread's service (`log-thread-service`) on the worker's ports. A `consumer` request brings
 * its new port in the message itself (`port`), transferred.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { LogThreadSetup } from './log-bus-thread';
import { serveLogThread, type ThreadPort } from './log-thread-service';

function threadPort(port: MessagePort | NonNullable<typeof parentPort>): ThreadPort {
  return {
    post: (message) => port.postMessage(message),
    listen: (handler) =>
      port.on('message', (message: unknown) => {
        const carried = (message as { port?: unknown } | null)?.port;
        handler(message, isPort(carried) ? threadPort(carried) : undefined);
      }),
    close: () => port.close(),
  };
}

function isPort(value: unknown): value is MessagePort {
  return typeof (value as MessagePort | undefined)?.postMessage === 'function';
}

const { consumerPort, ...setup } = workerData as LogThreadSetup;
serveLogThread(setup, threadPort(parentPort!), consumerPort ? threadPort(consumerPort) : undefined);
