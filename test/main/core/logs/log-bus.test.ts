import { readFileSync } from 'node:fs';
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
