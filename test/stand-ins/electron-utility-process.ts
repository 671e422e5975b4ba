/**
 * A stand-in for Electron's `utilityProcess` and `MessageChannelMain` (Electron cannot run on the
 * build machines), built from Electron's documented API
 * (https://electronjs.org/docs/api/utility-process, …/parent-port, …/message-port-main):
 * - `fork(modulePath)` runs the module with `process.parentPort` set — here in a worker thread
 *   (`utility-process-bootstrap.ts`), where a real process would be; `postMessage(message,
 *   [ports])` reaches the child as a `message` event `{ data, ports }`, and the child's
 *   `parentPort.postMessage(message)` the parent as `message` with the message itself; `exit`
 *   carries the exit code;
 * - `MessagePortMain`: an EventEmitter whose `message` events are `{ data, ports }`, queueing what
 *   comes until `start()`; `postMessage(message)`; `close()`.
 * Under them are Node's own MessagePorts, transferred for real between the threads.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/** A `MessagePortMain` over one of Node's ports. */
export class MessagePortMainStandIn extends EventEmitter {
  private isStarted = false;
  private readonly queued: unknown[] = [];

  constructor(readonly port: MessagePort) {
    super();
    port.on('message', (data: unknown) => {
      if (this.isStarted) this.emit('message', { data, ports: [] });
      else this.queued.push(data);
    });
  }

  postMessage(message: unknown): void {
    this.port.postMessage(message);
  }

  start(): void {
    this.isStarted = true;
    for (const data of this.queued.splice(0)) this.emit('message', { data, ports: [] });
  }

  close(): void {
    this.port.close();
  }
}

/** `new MessageChannelMain()`. */
export function messageChannelMain(): { port1: MessagePortMainStandIn; port2: MessagePortMainStandIn } {
  const { port1, port2 } = new MessageChannel();
  return { port1: new MessagePortMainStandIn(port1), port2: new MessagePortMainStandIn(port2) };
}

/** A `UtilityProcess`. */
export class UtilityProcessStandIn extends EventEmitter {
  private readonly worker: Worker;

  constructor(modulePath: string, env: Record<string, string | undefined> = process.env) {
    super();
    const bootstrap = pathToFileURL(path.join(import.meta.dirname, 'utility-process-bootstrap.ts')).href;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
    this.worker = new Worker(
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(bootstrap)}); });`,
      { eval: true, workerData: { modulePath }, env, stdout: false, stderr: false },
    );
    this.worker.on('message', (message: unknown) => this.emit('message', message));
    this.worker.on('exit', (code) => this.emit('exit', code));
    this.worker.on('error', (error) => this.emit('error', 'FatalError', error.stack ?? error.message, ''));
  }

  postMessage(message: unknown, transfer: MessagePortMainStandIn[] = []): void {
    const ports = transfer.map((port) => port.port);
    this.worker.postMessage({ data: message, ports }, ports);
  }

  kill(): boolean {
    void this.worker.terminate();
    return true;
  }
}
