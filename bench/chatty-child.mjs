// A chatty deploy: writes coloured log lines to stdout, many small writes.
// Usage: node chatty-child.mjs flood <megabytes> | node chatty-child.mjs paced <lines per second> <seconds>
// Paced lines carry `@t=<epoch ms>;` so the terminal side can measure latency.
import { setImmediate as yieldTurn, setTimeout as sleep } from 'node:timers/promises';

const [mode, first, second] = process.argv.slice(2);
const colours = ['32', '33', '36', '35'];
const write = (text) =>
  new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve)));
const now = () => performance.timeOrigin + performance.now();

if (mode === 'flood') {
  const targetChars = Number(first) * 1_000_000;
  let written = 0;
  let buffered = '';
  for (let index = 0; written < targetChars; index++) {
    const line = `\u001b[${colours[index % 4]}mstep ${index}\u001b[0m building layer ${index % 97} ✓ ${'x'.repeat(index % 80)} done\n`;
    written += line.length;
    buffered += line;
    if (buffered.length >= 4_096) {
      await write(buffered);
      buffered = '';
    }
    if (index % 512 === 0) await yieldTurn();
  }
  if (buffered) await write(buffered);
} else {
  const perSecond = Number(first);
  const total = perSecond * Number(second);
  const began = now();
  for (let index = 0; index < total; index++) {
    const due = began + (index * 1000) / perSecond;
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    await write(`\u001b[${colours[index % 4]}mline ${index}\u001b[0m @t=${now().toFixed(3)}; healthy\n`);
  }
}
