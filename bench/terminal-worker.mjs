// The renderer's side of the log pipeline, in its own thread: an @xterm/headless terminal that
// parses what it is sent, acknowledges each write once parsed, and measures what is pending.
import { parentPort } from 'node:worker_threads';
import headless from '@xterm/headless';

const { Terminal } = headless;
const terminal = new Terminal({ cols: 160, rows: 40, scrollback: 5_000, allowProposedApi: true });
let written = 0;
let parsed = 0;
let peakPending = 0;
const latencies = [];
const marker = /@t=(\d+\.\d+);/g;
const now = () => performance.timeOrigin + performance.now();

parentPort.on('message', (message) => {
  if (message.type === 'write') {
    const { text } = message;
    written += text.length;
    peakPending = Math.max(peakPending, written - parsed);
    terminal.write(text, () => {
      parsed += text.length;
      if (message.measureLatency) for (const match of text.matchAll(marker)) latencies.push(now() - Number(match[1]));
      parentPort.postMessage({ type: 'ack', characters: text.length });
    });
  } else if (message.type === 'finish') {
    // Answer after everything written so far is parsed.
    terminal.write('', () => parentPort.postMessage({ type: 'stats', written, parsed, peakPending, latencies }));
  } else if (message.type === 'ceiling') {
    const ceiling = new Terminal({ cols: 160, rows: 40, scrollback: 5_000, allowProposedApi: true });
    const began = performance.now();
    for (let start = 0; start < message.text.length; start += 65_536)
      ceiling.write(message.text.slice(start, start + 65_536));
    ceiling.write('', () => {
      parentPort.postMessage({ type: 'ceiling', ms: performance.now() - began });
      ceiling.dispose();
    });
  }
});
