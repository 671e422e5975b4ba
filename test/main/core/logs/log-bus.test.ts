/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogBus, type LogChunk } from '../../../../src/main/core/logs/log-bus';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';

const secret = 'cfy_Deploy-Token_7q8w9e';

function bus() {
  const redactor = new Redactor();
  redactor.add(secret);
  const batches: LogChunk[][] = [];
  const logBus = new LogBus({
    redactor,
    folder: temporaryDataDir(),
    emit: (_runId, chunks) => batches.push(chunks),
    holdMs: 20,
  });
  return { logBus, batches };
}

describe('the log bus', () => {
  it('never lets a secret split at any point across two chunks reach the renderer or the log file', async () => {
    const line = `\u001b[33mtrigger\u001b[0m curl -H "Authorization: Bearer ${secret}" https://coolify.example/deploy\n`;
    for (let split = 0; split <= line.length; split++) {
      const { logBus, batches } = bus();
      const runId = `run-${split}`;
      logBus.push(runId, 'auth-service', line.slice(0, split));
      await new Promise((resolve) => setImmediate(resolve));
      logBus.push(runId, 'auth-service', line.slice(split));
      await logBus.close(runId);
      const sent = batches
        .flat()
        .map((chunk) => chunk.text)
        .join('');
      const written = readFileSync(logBus.fileOf(runId), 'utf8');
      for (const output of [sent, written]) {
        expect(output, `split at ${split}`).not.toContain(secret);
        expect(output, `split at ${split}`).toContain('Bearer ***');
      }
    }
  });

  it('passes colours through and drops every other control sequence a service prints', async () => {
    const { logBus, batches } = bus();
    const hostile =
      '\u001b[31mred\u001b[0m \u001b]0;title\u0007\u001b]52;c;cHduZWQ=\u0007\u001b]8;;file:///etc/passwd\u0007x\u001b]8;;\u0007\u001b[2A\u001b[2J end\n';
    for (const piece of hostile.match(/[\s\S]{1,3}/g)!) logBus.push('run', 'frontend', piece);
    await logBus.close('run');
    const sent = batches
      .flat()
      .map((chunk) => chunk.text)
      .join('');
    for (const output of [sent, readFileSync(logBus.fileOf('run'), 'utf8')]) {
      expect(output).toContain('\u001b[31mred\u001b[0m x end\n');
      expect(output).not.toMatch(/\u001b\]|\u001b\[2[AJ]|\u0007/);
    }
  });

  it('sends batches, not one message per chunk, and loses nothing', async () => {
    const { logBus, batches } = bus();
    let expected = '';
    for (let index = 0; index < 1_000; index++) {
      const text = `line ${index}\n`;
      expected += text;
      logBus.push('run', 'db-service', text);
    }
    await logBus.close('run');
    expect(batches.length).toBeLessThan(5);
    expect(
      batches
        .flat()
        .map((chunk) => chunk.text)
        .join(''),
    ).toBe(expected);
    expect(readFileSync(logBus.fileOf('run'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1_000);
  });

  it('flushes at the size bound without waiting for the next turn', () => {
    const redactor = new Redactor();
    const batches: LogChunk[][] = [];
    const logBus = new LogBus({
      redactor,
      folder: temporaryDataDir(),
      emit: (_runId, chunks) => batches.push(chunks),
      maxBatchChars: 1_000,
    });
    logBus.push('run', 'a', 'x'.repeat(1_500));
    expect(batches).toHaveLength(1);
  });
});

describe('flow control toward a terminal that acknowledges what it parsed', () => {
  const flowControl = { highWatermark: 100_000, lowWatermark: 10_000, maxHeldChars: 1_000_000 };

  function flowBus() {
    const folder = temporaryDataDir();
    const received = new Map<string, string[]>();
    const batches: LogChunk[][] = [];
    const logBus = new LogBus({
      redactor: new Redactor(),
      folder,
      emit: (_runId, chunks) => {
        batches.push(chunks);
        for (const chunk of chunks) received.set(chunk.service, [...(received.get(chunk.service) ?? []), chunk.text]);
      },
      flowControl,
    });
    return { logBus, folder, received, batches };
  }

  it('a flood reaches a slow terminal whole and in order, never more than the watermark plus one batch in flight', async () => {
    const { logBus, folder, received, batches } = flowBus();
    const expected = new Map<string, string>();
    // 8 MB from two services, in 4 KB chunks; unicode and ANSI colour included.
    for (let index = 0; index < 2_000; index++) {
      for (const service of ['api', 'web']) {
        const text = `\u001b[32m${service} ${index} ✓ é 日本\u001b[0m ${'x'.repeat(4_000)}\n`;
        expected.set(service, (expected.get(service) ?? '') + text);
        logBus.push('run', service, text);
      }
    }
    expect(logBus.flowState('run')).toMatchObject({ isPaused: true });
    expect(logBus.flowState('run')!.spilled).toBeGreaterThan(5_000_000);
    expect(readdirSync(folder).some((name) => name.endsWith('.spill'))).toBe(true);
    const closing = logBus.close('run');
    // The terminal acknowledges each batch after "parsing" it, one batch at a time.
    for (let acknowledged = 0; acknowledged < batches.length; acknowledged++) {
      await new Promise((resolve) => setImmediate(resolve));
      const state = logBus.flowState('run');
      if (state) expect(state.unacknowledged).toBeLessThanOrEqual(100_000 + 200_000);
      logBus.acknowledge(
        'run',
        batches[acknowledged]!.reduce((sum, chunk) => sum + chunk.text.length, 0),
      );
    }
    await closing;
    for (const service of ['api', 'web']) expect(received.get(service)!.join('')).toBe(expected.get(service));
    expect(logBus.flowState('run')).toBeUndefined();
    expect(readdirSync(folder).filter((name) => name.endsWith('.spill'))).toEqual([]);
  });

  it('holds everything while the terminal does not acknowledge, and resumes below the low watermark', async () => {
    const { logBus, folder, batches } = flowBus();
    for (let index = 0; index < 60; index++) logBus.push('run', 'api', `${'y'.repeat(4_999)}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    const sentBefore = batches.flat().reduce((sum, chunk) => sum + chunk.text.length, 0);
    expect(sentBefore).toBeGreaterThanOrEqual(100_000);
    expect(logBus.flowState('run')).toMatchObject({ isPaused: true, held: 300_000 - sentBefore });
    logBus.acknowledge('run', sentBefore - 20_000);
    expect(logBus.flowState('run')!.isPaused).toBe(true);
    logBus.acknowledge('run', 10_000);
    expect(batches.flat().reduce((sum, chunk) => sum + chunk.text.length, 0)).toBeGreaterThan(sentBefore);
    await logBus.close('run');
    // The log file has every line regardless of the terminal.
    const file = readFileSync(path.join(folder, 'run.log'), 'utf8');
    expect(file.split('\n').filter(Boolean)).toHaveLength(60);
  });

  it('a reloaded window that never acknowledged does not keep the stream paused', async () => {
    const { logBus, batches } = flowBus();
    for (let index = 0; index < 40; index++) logBus.push('run', 'api', `${'z'.repeat(4_999)}\n`);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logBus.flowState('run')!.isPaused).toBe(true);
    logBus.resetFlow();
    expect(batches.flat().reduce((sum, chunk) => sum + chunk.text.length, 0)).toBe(200_000);
  });
});

describe('skipping ahead of a terminal far behind', () => {
  const flowControl = {
    highWatermark: 100_000,
    lowWatermark: 50_000,
    congestedAt: 400_000,
    flowingAt: 100_000,
    skipAt: 400_000,
    skipKeep: 100_000,
  };
  /** 2,000 numbered lines of ~1,000 characters, unicode included: about 2 MB. */
  const lines = Array.from({ length: 2_000 }, (_, index) => `line ${index} ✓ é ${'x'.repeat(990)}\n`);

  function skippingBus(secretToMask?: string) {
    const folder = temporaryDataDir();
    const redactor = new Redactor();
    if (secretToMask) redactor.add(secretToMask);
    const batches: LogChunk[][] = [];
    const congestion: boolean[] = [];
    const logBus = new LogBus({
      redactor,
      folder,
      emit: (_runId, chunks) => batches.push(chunks),
      onCongestion: (_runId, isCongested) => congestion.push(isCongested),
      flowControl,
      maxBatchChars: 32_000,
    });
    return { logBus, folder, batches, congestion };
  }

  /** Acknowledges each batch once "parsed", one at a time, until the run is closed. */
  async function drain(logBus: LogBus, batches: LogChunk[][], closing: Promise<void>) {
    let isClosed = false;
    void closing.then(() => (isClosed = true));
    for (let acknowledged = 0; !isClosed || acknowledged < batches.length; acknowledged++) {
      await new Promise((resolve) => setImmediate(resolve));
      const batch = batches[acknowledged];
      if (batch)
        logBus.acknowledge(
          'run',
          batch.reduce((sum, chunk) => sum + chunk.text.length, 0),
        );
    }
    await closing;
  }

  it('sends the newest output, whole lines, with one line saying what was skipped; the file keeps every byte', async () => {
    const { logBus, folder, batches, congestion } = skippingBus();
    for (const line of lines) logBus.push('run', 'api', line);
    const state = logBus.flowState('run')!;
    expect(state.skipped).toBeGreaterThan(1_000_000);
    expect(state.held).toBeLessThanOrEqual(flowControl.skipAt + 1_000);
    // What was skipped is in UTF-8 bytes too (✓ and é are 3 and 2 bytes).
    expect(state.skippedBytes).toBeGreaterThan(state.skipped);
    expect(state.spilled).toBe(0);
    const { skipped, skippedBytes } = state;
    await drain(logBus, batches, logBus.close('run'));

    const chunks = batches.flat();
    const shown = chunks.filter((chunk) => chunk.service === 'api').map((chunk) => chunk.text);
    const notices = chunks.filter((chunk) => chunk.service === 'cockpit').map((chunk) => chunk.text);
    const total = lines.join('');
    // Every character was either shown or skipped, and the skip was said where it happened.
    expect(shown.join('').length + skipped).toBe(total.length);
    expect(Buffer.byteLength(shown.join('')) + skippedBytes).toBe(Buffer.byteLength(total));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    for (const notice of notices)
      expect(notice).toMatch(/⋯ [\d.]+ (MB|kB|bytes) of output skipped here: .*run\.log\u001b\[0m\n$/);
    // Between two skips, consecutive whole lines; each skip on a line of its own; in order, and the
    // newest lines all there.
    const stretches: string[] = [''];
    chunks.forEach((chunk, index) => {
      if (chunk.service === 'api') stretches[stretches.length - 1] += chunk.text;
      else {
        expect(chunk.text.startsWith('\n') || chunks[index - 1]!.text.endsWith('\n')).toBe(true);
        stretches.push('');
      }
    });
    const numbers = stretches.map((stretch) => {
      expect(stretch).toMatch(/^line \d+ ✓ é x{990}\n/);
      const numbered = stretch
        .split('\n')
        .slice(0, -1)
        .map((line) => Number(/^line (\d+) ✓ é x{990}$/.exec(line)?.[1]));
      expect(numbered.every((number, index) => index === 0 || number === numbered[index - 1]! + 1)).toBe(true);
      return numbered;
    });
    expect(numbers.flat().every((number, index, all) => index === 0 || number > all[index - 1]!)).toBe(true);
    expect(numbers.at(-1)!.slice(-50)).toEqual(Array.from({ length: 50 }, (_, index) => 1_950 + index));
    expect(numbers.flat().length).toBeLessThan(lines.length);
    // The producer was never asked to wait for the terminal.
    expect(congestion).not.toContain(true);
    const file = readFileSync(path.join(folder, 'run.log'), 'utf8');
    expect(file).toBe(lines.map((line) => `[api] ${line}`).join(''));
  });

  it('keeps a window that acknowledges nothing at a bounded hold, never spilling, never pausing the producer', () => {
    const { logBus, folder, congestion } = skippingBus();
    for (let round = 0; round < 3; round++) for (const line of lines) logBus.push('run', 'api', line);
    const state = logBus.flowState('run')!;
    expect(state).toMatchObject({ isPaused: true, spilled: 0 });
    expect(state.held).toBeLessThanOrEqual(flowControl.skipAt + 1_000);
    expect(state.unacknowledged).toBeLessThanOrEqual(flowControl.highWatermark + 32_000);
    expect(state.received).toBe(3 * lines.join('').length);
    expect(congestion).not.toContain(true);
    expect(readdirSync(folder).filter((name) => name.endsWith('.spill'))).toEqual([]);
  });

  it('never shows a secret, however the skip cuts the output around it', async () => {
    const token = 'cfy_Skip-Token_5k6l7m';
    const { logBus, folder, batches } = skippingBus(token);
    for (const [index, line] of lines.entries())
      logBus.push('run', 'api', index % 7 === 0 ? `${line.slice(0, 400)}${token}${line.slice(400)}` : line);
    await drain(logBus, batches, logBus.close('run'));
    const shown = batches
      .flat()
      .map((chunk) => chunk.text)
      .join('');
    expect(shown).not.toContain(token);
    expect(shown).toContain('***');
    expect(readFileSync(path.join(folder, 'run.log'), 'utf8')).not.toContain(token);
  });
});
