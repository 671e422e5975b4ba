/**
 * The log bus's thread as a worker thread (the browser mode, the tests and the bench): the
 * thread's service (`log-thread-service`) on the worker's ports.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { LogThreadSetup } from './log-bus-thread';
import { serveLogThread, type ThreadPort } from './log-thread-service';

function threadPort(port: MessagePort | NonNullable<typeof parentPort>): ThreadPort {
  return {
    post: (message) => port.postMessage(message),
    listen: (handler) => port.on('message', (message: unknown) => handler(message)),
    close: () => port.close(),
  };
}

const { consumerPort, ...setup } = workerData as LogThreadSetup;
serveLogThread(setup, threadPort(parentPort!), consumerPort ? threadPort(consumerPort) : undefined);
