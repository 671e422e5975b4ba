// The renderer's side of the log pipeline, in its own thread: an @xterm/headless terminal that
// parses what it is sent, acknowledges each write once parsed, and measures what is pending.
// Writes come from the parent ({ type: 'write' }) or, as batches from the log thread, on a port
// the parent hands over ({ type: 'port' }), acknowledged on that port. The cockpit's own lines in
// those batches (what was skipped) are counted apart from the run's output.
import { parentPort } from 'node:worker_threads';
import headless from '@xterm/headless';

const { Terminal } = headless;
const terminal = new Terminal({ cols: 160, rows: 40, scrollback: 5_000, allowProposedApi: true });
let written = 0;
let parsed = 0;
/** Of what was parsed, the cockpit's own lines. */
let parsedNotices = 0;
let notices = 0;
let peakPending = 0;
let measureLatency = false;
const latencies = [];
const marker = /@t=(\d+\.\d+);/g;
const now = () => performance.timeOrigin + performance.now();
/** Once `parsed` reaches this, the stats go to the parent. */
let expected;
let lastProgressAt = 0;
/** When the first text came (epoch ms): the run's time starts there, whichever thread read the child. */
let firstAt;

function write(text, acknowledge, noticeChars = 0, noticeCount = 0) {
  firstAt ??= now();
  written += text.length;
  peakPending = Math.max(peakPending, written - parsed);
  terminal.write(text, () => {
    parsed += text.length;
    parsedNotices += noticeChars;
    notices += noticeCount;
    lastProgressAt = performance.now();
    if (measureLatency) for (const match of text.matchAll(marker)) latencies.push(now() - Number(match[1]));
    acknowledge(text.length);
    if (expected !== undefined && parsed - parsedNotices >= expected) sendStats();
  });
}

function sendStats() {
  expected = undefined;
  parentPort.postMessage({ type: 'stats', written, parsed, parsedNotices, notices, peakPending, latencies, firstAt });
}

parentPort.on('message', (message) => {
  if (message.type === 'write') {
    measureLatency = message.measureLatency;
    write(
      message.text,
      (characters) => parentPort.postMessage({ type: 'ack', characters }),
      message.noticeChars,
      message.noticeCount,
    );
  } else if (message.type === 'port') {
    measureLatency = message.measureLatency;
    const port = message.port;
    port.on('message', (batch) => {
      if (batch.type !== 'batch') return;
      const text = batch.chunks.map((chunk) => chunk.text).join('');
      const own = batch.chunks.filter((chunk) => chunk.service === 'cockpit');
      const ownChars = own.reduce((sum, chunk) => sum + chunk.text.length, 0);
      write(
        text,
        (characters) => port.postMessage({ type: 'ack', runId: batch.runId, characters }),
        ownChars,
        own.length,
      );
    });
  } else if (message.type === 'restart-clock') {
    // What came so far was a warm-up: the run's time starts with the next text.
    firstAt = undefined;
  } else if (message.type === 'finish') {
    // Answer after everything written so far is parsed.
    terminal.write('', () => parentPort.postMessage({ type: 'stats', written, parsed, peakPending, latencies }));
  } else if (message.type === 'expect') {
    // Answer once this many characters of output are parsed, or when nothing more came for a second.
    expected = message.characters;
    lastProgressAt = performance.now();
    if (parsed - parsedNotices >= expected) return sendStats();
    const check = setInterval(() => {
      if (expected === undefined) return clearInterval(check);
      if (performance.now() - lastProgressAt > 1_000) {
        clearInterval(check);
        sendStats();
      }
    }, 100);
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
parentPort.postMessage({ type: 'ready' });
