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
});
