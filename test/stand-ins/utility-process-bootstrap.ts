/**
 * Inside the utility-process stand-in's thread: `process.parentPort` as Electron documents it
 * (its `message` events are `{ data, ports }`, the ports `MessagePortMain`s; `postMessage(message)`
 * reaches the parent), then the module itself.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { MessagePortMainStandIn } from './electron-utility-process';

class ParentPortStandIn extends EventEmitter {
  postMessage(message: unknown): void {
    parentPort!.postMessage(message);
  }
}

const standIn = new ParentPortStandIn();
// Messages wait for a first listener, as Electron's parentPort queues them.
const queued: unknown[] = [];
standIn.on('newListener', (event: string) => {
  if (event === 'message')
    queueMicrotask(() => queued.splice(0).forEach((message) => standIn.emit('message', message)));
});
parentPort!.on('message', ({ data, ports }: { data: unknown; ports: MessagePort[] }) => {
  const message = { data, ports: ports.map((port) => new MessagePortMainStandIn(port)) };
  if (standIn.listenerCount('message') > 0) standIn.emit('message', message);
  else queued.push(message);
});
(process as NodeJS.Process & { parentPort?: unknown }).parentPort = standIn;
await import(pathToFileURL((workerData as { modulePath: string }).modulePath).href);
