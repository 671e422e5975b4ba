/**
 * The desktop app's log process (`log-utility-host` + the `log-bus-utility` entry), run with
 * stand-ins for Electron's `utilityProcess` and `MessageChannelMain` (test/stand-ins): a command's
 * output reaches the window's port straight from the log process — masked, every line in the
 * run's file, flow-controlled by the window's acknowledgements — and main's `emit` sees none of
 * it; a window that reloads gets a new port and what waited; with no window the batches come to
 * main instead.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogChunk } from '../../src/main/core/logs/log-bus';
import { LogBusThread } from '../../src/main/core/logs/log-bus-thread';
import { Redactor } from '../../src/main/core/logs/redactor';
import { utilityLogHost } from '../../src/main/log-utility-host';
import { temporaryDataDir } from '../helpers/cockpit-builder';
import {
  messageChannelMain,
  UtilityProcessStandIn,
  type MessagePortMainStandIn,
} from '../stand-ins/electron-utility-process';

const entry = path.resolve(import.meta.dirname, '../../src/main/core/logs/log-bus-utility.ts');
const secret = 'cfy_Window-Token_3x4y5z';
const flowControl = { highWatermark: 50_000, lowWatermark: 20_000, congestedAt: 200_000, flowingAt: 50_000 };
const logs: LogBusThread[] = [];
afterEach(() => {
  for (const bus of logs.splice(0)) bus.stop();
});

/** A window: reads the batches on its port, acknowledges each once "parsed" (unless told not to). */
class WindowSide {
  readonly ports: MessagePort[] = [];
  readonly texts: string[][] = [];
  isAcknowledging = true;

  receive(port: MessagePortMainStandIn): boolean {
    const index = this.ports.push(port.port) - 1;
    this.texts.push([]);
    port.port.on('message', (message: { type: string; runId: string; chunks: LogChunk[] }) => {
      if (message.type !== 'batch') return;
      const text = message.chunks.map((chunk) => chunk.text).join('');
      this.texts[index]!.push(text);
      if (this.isAcknowledging) port.port.postMessage({ type: 'ack', runId: message.runId, characters: text.length });
    });
    return true;
  }

  shown(index: number): string {
    return this.texts[index]!.join('');
  }
}

function appLogs(options: { window?: WindowSide } = {}) {
  const redactor = new Redactor();
  redactor.add(secret);
  const viaMain: LogChunk[] = [];
  const bus = new LogBusThread({
    redactor,
    folder: temporaryDataDir(),
    emit: (_runId, chunks) => viaMain.push(...chunks),
    flowControl,
    maxBatchChars: 16_000,
    startHost: utilityLogHost({
      fork: () => new UtilityProcessStandIn(entry),
      channel: messageChannelMain,
      sendToWindow: (port) => options.window?.receive(port) ?? false,
    }),
  });
  logs.push(bus);
  return { bus, viaMain };
}

/** A child printing `count` numbered lines of 100 characters, the secret in line 7. */
function chattyChild(count: number, from = 0): string[] {
  const script = `for (let i = ${from}; i < ${from + count}; i++) process.stdout.write('line ' + String(i).padStart(6, '0') + (i === ${from + 7} ? ' ${secret} ' : ' ') + 'x'.repeat(60) + '\\n');`;
  return [process.execPath, '-e', script];
}

describe('the log process of the desktop app', () => {
  it("sends a command's output straight to the window's port, masked, paced by its acknowledgements; main relays none of it", async () => {
    const window = new WindowSide();
    const { bus, viaMain } = appLogs({ window });
    const result = await bus.runCommand('run', 'api', chattyChild(5_000), { label: 'the child', timeoutMs: 120_000 });
    expect(result.ok).toBe(true);
    const state = (await bus.flowState('run'))!;
    await bus.close('run');
    await expect.poll(() => window.shown(0).split('\n').length - 1).toBe(5_000);
    const shown = window.shown(0);
    expect(shown).not.toContain(secret);
    expect(shown).toContain('line 000007 *** x');
    expect(shown.split('\n').at(-2)).toMatch(/^line 004999 x{60}$/);
    // The window was never more than a watermark and a batch behind: nothing skipped, nothing spilled.
    expect(state).toMatchObject({ skipped: 0, spilled: 0 });
    expect(state.peakUnacknowledged).toBeLessThanOrEqual(flowControl.highWatermark + 16_000);
    expect(viaMain).toEqual([]);
    const file = readFileSync(bus.fileOf('run'), 'utf8');
    expect(file.split('\n').filter(Boolean)).toHaveLength(5_000);
    expect(file).not.toContain(secret);
  });

  it('gives a window that reloads a new port: what waited and what follows go there, nothing more to the old one', async () => {
    const window = new WindowSide();
    const { bus } = appLogs({ window });
    window.isAcknowledging = false;
    await bus.runCommand('run', 'api', chattyChild(2_000), { label: 'the child', timeoutMs: 120_000 });
    await expect.poll(() => window.shown(0).length).toBeGreaterThan(0);
    // The page reloads: it asks for the runs again (`deploy:runs`), which resets the flow.
    window.isAcknowledging = true;
    bus.resetFlow();
    await expect.poll(() => window.ports.length).toBe(2);
    const before = window.shown(0).length;
    await bus.runCommand('run', 'api', chattyChild(1_000, 2_000), { label: 'the child', timeoutMs: 120_000 });
    await bus.close('run');
    await expect.poll(() => window.shown(1)).toContain('line 002999 ');
    expect(window.shown(0).length).toBe(before);
    // Between them, the two windows saw every line, in order (what the first was sent and never
    // acknowledged is sent again to the second).
    const lines = new Set((window.shown(0) + window.shown(1)).split('\n').filter(Boolean));
    expect(lines.size).toBe(3_000);
  });

  it('sends the batches to main when no window can take a port', async () => {
    const { bus, viaMain } = appLogs();
    await bus.runCommand('run', 'api', chattyChild(100), { label: 'the child', timeoutMs: 120_000 });
    const closing = bus.close('run');
    // Main is the consumer now: it acknowledges as the renderer's `deploy:log-ack` would.
    await expect.poll(() => viaMain.length).toBeGreaterThan(0);
    bus.resetFlow();
    await closing;
    await expect
      .poll(() =>
        viaMain
          .map((chunk) => chunk.text)
          .join('')
          .split('\n')
          .filter(Boolean),
      )
      .toHaveLength(100);
  });
});
