import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/main/core/process/run-command';

describe('running a command', () => {
  it('never cuts a character in half when the child writes it in two pieces, on stdout or stderr', async () => {
    // "é" is two bytes and "🚀" four: each is written split, with a pause between the halves.
    const script = `const write = (stream, bytes) => new Promise((resolve) => stream.write(Buffer.from(bytes), resolve));
const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
(async () => {
  const e = Buffer.from('é'); const rocket = Buffer.from('🚀');
  await write(process.stdout, [0x61, e[0]]); await pause(); await write(process.stdout, [e[1], 0x0a]);
  await write(process.stderr, [...rocket.subarray(0, 1)]); await pause(); await write(process.stderr, [...rocket.subarray(1), 0x0a]);
})();`;
    let output = '';
    const result = await runCommand([process.execPath, '-e', script], {
      timeoutMs: 30_000,
      label: 'the test command',
      log: (text) => (output += text),
    });
    expect(result.ok).toBe(true);
    expect(output).not.toContain('\uFFFD');
    expect(output.split('\n').sort()).toEqual(['', 'aé', '🚀']);
  });

  it('stops reading a child while its log is congested, so the child waits on its writes, and loses nothing', async () => {
    // 4 MB in 1 kB writes: far more than a pipe holds.
    const script = `const line = 'x'.repeat(1023) + '\\n';
let left = 4096;
const next = () => { while (left > 0) { left--; if (!process.stdout.write(line)) return process.stdout.once('drain', next); } };
next();`;
    let received = 0;
    let isCongested = false;
    let letGo!: () => void;
    const flowing = new Promise<void>((resolve) => (letGo = resolve));
    let settled = false;
    const result = runCommand([process.execPath, '-e', script], {
      timeoutMs: 600_000,
      label: 'the chatty command',
      backpressure: { isCongested: () => isCongested, whenFlowing: () => flowing },
      log: (text) => {
        received += text.length;
        isCongested = true;
      },
    }).finally(() => (settled = true));
    await expect.poll(() => received).toBeGreaterThan(0);
    // However long the child is given, it cannot get ahead: nobody reads its pipe.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(settled).toBe(false);
    expect(received).toBeLessThan(1_000_000);
    isCongested = false;
    letGo();
    expect((await result).ok).toBe(true);
    expect(received).toBe(4096 * 1024);
  });
});
