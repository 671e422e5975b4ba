import { Terminal } from '@xterm/headless';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  attachTerminal,
  setAcknowledgementSender,
  writeBatch,
} from '../../../src/renderer/src/terminal/terminal-registry';

const detachers: (() => void)[] = [];
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
    await vi.waitFor(() => expect(parsedBatches).toBe(2));
    expect(acknowledged).toEqual([6_000]);
    writeBatch('run', [{ service: 'api', text: 'short\n' }]);
    // A small remainder goes out soon after output stops.
    await vi.waitFor(() => expect(acknowledged).toEqual([6_000, 6]));
    terminal.dispose();
  });

  it('acknowledges at once what arrives while no terminal is mounted', async () => {
    const acknowledged: number[] = [];
    setAcknowledgementSender((_runId, characters) => acknowledged.push(characters));
    writeBatch('run', [{ service: 'api', text: 'x'.repeat(7_000) }]);
    expect(acknowledged).toEqual([7_000]);
  });
});
