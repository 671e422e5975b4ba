import { Terminal } from '@xterm/headless';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  attachTerminal,
  setAcknowledgementSender,
  setTerminalView,
  showLog,
  writeBatch,
} from '../../../src/renderer/src/terminal/terminal-registry';

const detachers: (() => void)[] = [];
/** As long as expect.poll waits: a busy machine parses late, never wrong. */
const patiently = { timeout: 10_000 };
afterEach(() => {
  for (const detach of detachers.splice(0)) detach();
  setAcknowledgementSender(undefined);
  vi.useRealTimers();
});

describe('the terminal registry acknowledges what xterm has parsed', () => {
  it('acknowledges each batch only after the terminal parsed it, coalesced every 5,000 characters', async () => {
    const terminal = new Terminal({ cols: 120, rows: 30, scrollback: 1_000, allowProposedApi: true });
    const acknowledged: number[] = [];
    setAcknowledgementSender((_runId, characters) => acknowledged.push(characters));
    let parsedBatches = 0;
    detachers.push(
      attachTerminal({
        write: (text, parsed) =>
          terminal.write(text, () => {
            parsedBatches++;
            parsed?.();
          }),
      }),
    );
    const batch = [{ service: 'api', text: `${'a'.repeat(2_999)}\n` }];
    writeBatch('run', batch);
    writeBatch('run', batch);
    // Nothing is acknowledged before xterm has parsed the text.
    expect(acknowledged).toEqual([]);
    await vi.waitFor(() => expect(parsedBatches).toBe(2), patiently);
    expect(acknowledged).toEqual([6_000]);
    writeBatch('run', [{ service: 'api', text: 'short\n' }]);
    // A small remainder goes out soon after output stops.
    await vi.waitFor(() => expect(acknowledged).toEqual([6_000, 6]), patiently);
    terminal.dispose();
  });

  it('acknowledges at once what arrives while no terminal is mounted', async () => {
    const acknowledged: number[] = [];
    setAcknowledgementSender((_runId, characters) => acknowledged.push(characters));
    writeBatch('run', [{ service: 'api', text: 'x'.repeat(7_000) }]);
    expect(acknowledged).toEqual([7_000]);
  });
});

describe('the terminal registry shows the log another way on demand', () => {
  /** What the terminal shows, line by line, once it has parsed everything written. */
  async function screenOf(terminal: Terminal): Promise<string[]> {
    await new Promise<void>((resolve) => terminal.write('', resolve));
    const buffer = terminal.buffer.active;
    const lines: string[] = [];
    for (let index = 0; index < buffer.length; index++) lines.push(buffer.getLine(index)!.translateToString(true));
    return lines.filter((line) => line.trim().length > 0);
  }

  it('draws the log again with only some services’ lines, or with each line’s arrival time', async () => {
    const terminal = new Terminal({ cols: 120, rows: 30, scrollback: 1_000, allowProposedApi: true });
    const acknowledged: number[] = [];
    setAcknowledgementSender((_runId, characters) => acknowledged.push(characters));
    const total = () => acknowledged.reduce((sum, characters) => sum + characters, 0);
    // A log of its own: what the tests before wrote is not in it.
    showLog('A run of its own', '');
    detachers.push(
      attachTerminal({ write: (text, parsed) => terminal.write(text, parsed), reset: () => terminal.reset() }),
    );
    writeBatch('filtered-run', [
      { service: 'api-view', text: 'api line one\n' },
      { service: 'db-view', text: 'db line one\n' },
    ]);
    writeBatch('filtered-run', [{ service: 'api-view', text: 'api line two\n' }]);
    expect((await screenOf(terminal)).filter((line) => line.includes('line'))).toHaveLength(3);

    setTerminalView({ showTimes: false, services: ['db-view'] });
    const dbOnly = (await screenOf(terminal)).filter((line) => line.includes('line'));
    expect(dbOnly).toHaveLength(1);
    expect(dbOnly[0]).toContain('db line one');
    // New lines of a hidden service stay hidden, and are acknowledged all the same.
    await vi.waitFor(() => expect(total()).toBe(38), patiently);
    writeBatch('filtered-run', [{ service: 'api-view', text: 'api line three\n' }]);
    expect((await screenOf(terminal)).some((line) => line.includes('api line three'))).toBe(false);
    await vi.waitFor(() => expect(total()).toBe(38 + 'api line three\n'.length), patiently);

    setTerminalView({ showTimes: true, services: [] });
    const timed = (await screenOf(terminal)).filter((line) => line.includes('line'));
    expect(timed).toHaveLength(4);
    for (const line of timed) expect(line).toMatch(/^\d{2}:\d{2}:\d{2} /);
    setTerminalView({ showTimes: false, services: [] });
    terminal.dispose();
  });
});
