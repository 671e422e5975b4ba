/**
 * The log bus in its own thread: what a run writes reaches the consumer and the run's file as
 * through the bus itself, secrets added at any time are masked there, batches can go straight to
 * the consumer's port, a consumer that falls behind pauses the producer (and one that stalls
 * gets the spill instead) or, with skipping on, is skipped ahead, and a thread that dies leaves
 * the log going on in the main thread.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowControl, LogChunk } from '../../../../src/main/core/logs/log-bus';
import { LogBusThread, type LogThreadReply } from '../../../../src/main/core/logs/log-bus-thread';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';

const threads: LogBusThread[] = [];
afterEach(() => {
  for (const thread of threads.splice(0)) thread.stop();
});

function thread(options: { flowControl?: FlowControl; maxPauseMs?: number; consumerPort?: MessagePort } = {}) {
  const redactor = new Redactor();
  redactor.add('cfy_Deploy-Token_7q8w9e');
  const batches: LogChunk[][] = [];
  const logs = new LogBusThread({
    redactor,
    folder: temporaryDataDir(),
    emit: (_runId, chunks) => batches.push(chunks),
    holdMs: 20,
    ...options,
  } as ConstructorParameters<typeof LogBusThread>[0]);
  threads.push(logs);
  const sent = () =>
    batches
      .flat()
      .map((chunk) => chunk.text)
      .join('');
  return { logs, redactor, batches, sent };
}

const flow: FlowControl = { highWatermark: 100_000, lowWatermark: 50_000, congestedAt: 400_000, flowingAt: 100_000 };

describe('the log bus in its own thread', () => {
  it('writes every line to the consumer and the run file, prefixed in the file, in order', async () => {
    const { logs, sent } = thread();
    let expected = '';
    for (let index = 0; index < 2_000; index++) {
      const text = `line ${index}\n`;
      expected += text;
      logs.push('run', index % 2 === 0 ? 'api' : 'db', text);
    }
    await logs.close('run');
    expect(sent()).toBe(expected);
    const lines = readFileSync(logs.fileOf('run'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(2_000);
    expect(lines[0]).toBe('[api] line 0');
    expect(lines[1_999]).toBe('[db] line 1999');
  });

  it('masks a secret the vault added after the thread started, split across two pushes', async () => {
    const { logs, redactor, sent } = thread();
    logs.push('first', 'api', 'starting\n');
    await logs.close('first');
    redactor.add('sk_live_9Zx3Q-added-later');
    logs.push('second', 'api', 'Authorization: Bearer sk_live_9Zx3');
    logs.push('second', 'api', 'Q-added-later done\n');
    await logs.close('second');
    for (const output of [sent(), readFileSync(logs.fileOf('second'), 'utf8')]) {
      expect(output).not.toContain('sk_live_9Zx3Q');
      expect(output).toContain('Bearer *** done');
    }
  });

  it('sends batches straight to the consumer port and takes its acknowledgements there', async () => {
    const channel = new MessageChannel();
    const { logs, batches } = thread({ flowControl: flow, consumerPort: channel.port2 as never });
    const received: string[] = [];
    channel.port1.on('message', (message: LogThreadReply) => {
      if (message.type !== 'batch') return;
      const text = message.chunks.map((chunk) => chunk.text).join('');
      received.push(text);
      channel.port1.postMessage({ type: 'ack', runId: message.runId, characters: text.length });
    });
    const line = `${'x'.repeat(99)}\n`;
    for (let index = 0; index < 5_000; index++) logs.push('run', 'api', line);
    await expect.poll(() => received.join('').length, { timeout: 60_000 }).toBe(500_000);
    await logs.close('run');
    channel.port1.close();
    expect(batches).toEqual([]);
    expect(readFileSync(logs.fileOf('run'), 'utf8')).toHaveLength(500_000 + 5_000 * '[api] '.length);
  });

  it('takes only acknowledgements from the consumer port: a command, a secret or a stop sent there is dropped', async () => {
    const channel = new MessageChannel();
    const { logs } = thread({ flowControl: flow, consumerPort: channel.port2 as never });
    const witness = path.join(temporaryDataDir(), 'ran');
    const sent: unknown[] = [
      {
        type: 'run',
        id: 1,
        runId: 'run',
        service: 'api',
        command: [process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(witness)}, 'x')`],
        options: { label: 'a', timeoutMs: 60_000 },
      },
      { type: 'secret', value: 'line' },
      { type: 'stop' },
      { type: 'ack', runId: 'run', characters: -5 },
      { type: 'ack', runId: '../../etc', characters: 5 },
      'ack',
      null,
    ];
    let batches = 0;
    channel.port1.on('message', (message: LogThreadReply) => {
      if (message.type === 'batch') batches++;
    });
    for (const message of sent) channel.port1.postMessage(message);
    // 300k characters: the terminal gets the watermark's worth, then waits for an acknowledgement.
    for (let index = 0; index < 3_000; index++) logs.push('run', 'api', `line ${'y'.repeat(94)}\n`);
    await expect.poll(async () => (await logs.flowState('run'))?.isPaused).toBe(true);
    const before = batches;
    // A real acknowledgement still works: more comes.
    channel.port1.postMessage({ type: 'ack', runId: 'run', characters: 200_000 });
    await expect.poll(() => batches).toBeGreaterThan(before);
    logs.resetFlow();
    await logs.close('run');
    channel.port1.close();
    expect(existsSync(witness)).toBe(false);
    // Not masked ('line' was never a secret), and the thread did not stop: the file is whole.
    expect(readFileSync(logs.fileOf('run'), 'utf8')).toContain('[api] line y');
    expect(readFileSync(logs.fileOf('run'), 'utf8').split('\n').filter(Boolean)).toHaveLength(3_000);
  });

  it('asks the producer to pause while the consumer is behind, and to go on once it caught up', async () => {
    const { logs, batches } = thread({ flowControl: flow, maxPauseMs: 600_000 });
    const pressure = logs.backpressure('run');
    for (let index = 0; index < 1_000; index++) logs.push('run', 'api', `${'y'.repeat(999)}\n`);
    await expect.poll(() => pressure.isCongested()).toBe(true);
    let isFlowing = false;
    void pressure.whenFlowing().then(() => (isFlowing = true));
    // The consumer parses what it was sent, batch after batch.
    let acknowledged = 0;
    while (!isFlowing && acknowledged < 1_000_000) {
      const sent = batches.flat().reduce((sum, chunk) => sum + chunk.text.length, 0);
      if (sent > acknowledged) {
        logs.acknowledge('run', sent - acknowledged);
        acknowledged = sent;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(isFlowing).toBe(true);
    expect(pressure.isCongested()).toBe(false);
    await logs.close('run');
  });

  it('lets a producer go on when the consumer stalls, and spills what waits without losing a byte', async () => {
    const { logs } = thread({ flowControl: { ...flow, maxHeldChars: 1_000_000 }, maxPauseMs: 3_000 });
    const pressure = logs.backpressure('run');
    const line = `${'z'.repeat(999)}\n`;
    for (let index = 0; index < 1_000; index++) logs.push('run', 'api', line);
    await expect.poll(() => pressure.isCongested()).toBe(true);
    // Nobody acknowledges: past the longest pause the producer is told to go on.
    await pressure.whenFlowing();
    expect(pressure.isCongested()).toBe(false);
    for (let index = 0; index < 1_000; index++) logs.push('run', 'api', line);
    await expect.poll(async () => (await logs.flowState('run'))?.spilled ?? 0).toBeGreaterThan(0);
    const closed = logs.close('run');
    // The file is whole before the terminal has seen it all.
    await expect.poll(() => readFileSync(logs.fileOf('run'), 'utf8').length).toBe(2_000 * (line.length + 6));
    logs.resetFlow();
    await closed;
  });

  it('with skipping on, skips ahead of a consumer that stalls: the producer never waits, the file keeps it all', async () => {
    const { logs, batches } = thread({
      flowControl: { ...flow, skipAt: 400_000, skipKeep: 100_000 },
      maxPauseMs: 600_000,
    });
    const pressure = logs.backpressure('run');
    const line = `${'s'.repeat(999)}\n`;
    for (let index = 0; index < 2_000; index++) logs.push('run', 'api', line);
    await expect.poll(async () => (await logs.flowState('run'))?.received ?? 0).toBe(2_000 * line.length);
    const state = (await logs.flowState('run'))!;
    expect(state.skipped).toBeGreaterThan(1_000_000);
    expect(state.spilled).toBe(0);
    expect(state.held).toBeLessThanOrEqual(401_000);
    // Paused at most while the thread itself catches up: nobody acknowledges, yet it flows again.
    await expect.poll(() => pressure.isCongested()).toBe(false);
    const closed = logs.close('run');
    await expect.poll(() => readFileSync(logs.fileOf('run'), 'utf8').length).toBe(2_000 * (line.length + 6));
    logs.resetFlow();
    await closed;
    // Once the consumer is back, it gets what was kept and the line that says what was not.
    const notices = () =>
      batches
        .flat()
        .filter((chunk) => chunk.service === 'cockpit')
        .map((chunk) => chunk.text)
        .join('');
    await expect.poll(notices).toMatch(/of output skipped here: .*run\.log/);
  });

  it('goes on in the main thread when the log thread dies, and says so in the log', async () => {
    process.env.COCKPIT_FAULT = 'log-thread';
    try {
      const { logs, sent } = thread();
      logs.push('run', 'api', 'before\n');
      await expect.poll(() => sent()).toContain('The log thread stopped (a fault injected at log-thread)');
      delete process.env.COCKPIT_FAULT;
      logs.push('run', 'api', 'after cfy_Deploy-Token_7q8w9e\n');
      await logs.close('run');
      const file = readFileSync(logs.fileOf('run'), 'utf8');
      expect(file).toContain('[cockpit] The log thread stopped');
      expect(file).toContain('[api] after ***\n');
    } finally {
      delete process.env.COCKPIT_FAULT;
    }
  });
});

describe('a command run by the log thread', () => {
  const node = process.execPath;
  const chatty = [
    'for (let i = 0; i < 500; i++) process.stdout.write(`line ${i} cfy_Deploy-Token_7q8w9e\\n`);',
    'process.stderr.write("done on stderr\\n");',
  ].join(' ');

  it('reads the child into the run: masked, in the file and to the consumer; its pid comes before its end', async () => {
    const { logs, sent } = thread({ flowControl: flow });
    const events: string[] = [];
    const result = await logs.runCommand('run', 'api', [node, '-e', chatty], {
      label: 'the chatty command',
      timeoutMs: 600_000,
      onStarted: (pid) => events.push(`started ${pid > 0}`),
    });
    events.push('ended');
    expect(result).toEqual({ ok: true, detail: 'the chatty command succeeded' });
    expect(events).toEqual(['started true', 'ended']);
    await logs.close('run');
    const file = readFileSync(logs.fileOf('run'), 'utf8');
    expect(file.split('\n').filter((line) => line.startsWith('[api] line '))).toHaveLength(500);
    expect(file).toContain('[api] line 499 ***\n');
    expect(file).toContain('[api] done on stderr\n');
    for (const output of [file, sent()]) expect(output).not.toContain('cfy_Deploy');
    expect(sent()).toContain('line 0 ***\n');
  });

  it('says how a failing command ended, and stops a cancelled one', async () => {
    const { logs } = thread();
    expect(
      await logs.runCommand('run', 'api', [node, '-e', 'process.exit(3)'], {
        label: 'the failing command',
        timeoutMs: 600_000,
      }),
    ).toEqual({ ok: false, detail: 'the failing command exited with code 3' });
    const controller = new AbortController();
    let pid = 0;
    const running = logs.runCommand('run', 'api', [node, '-e', 'setInterval(() => {}, 1000)'], {
      label: 'the endless command',
      timeoutMs: 600_000,
      signal: controller.signal,
      onStarted: (started) => (pid = started),
    });
    await expect.poll(() => pid).toBeGreaterThan(0);
    controller.abort();
    expect(await running).toEqual({ ok: false, detail: 'the endless command was stopped (SIGTERM)' });
    await logs.close('run');
  });

  it('fails the command, never starting it again, when the thread dies while it runs', async () => {
    // The thread reads its fault point in its own copy of the environment, made when it starts.
    process.env.COCKPIT_FAULT = 'log-thread';
    let pid = 0;
    try {
      const { logs, sent } = thread();
      const running = logs.runCommand('run', 'api', [node, '-e', 'setTimeout(() => {}, 600_000)'], {
        label: 'the long command',
        timeoutMs: 600_000,
        onStarted: (started) => (pid = started),
      });
      await expect.poll(() => pid).toBeGreaterThan(0);
      // The thread dies on the next line it is handed.
      logs.push('run', 'cockpit', 'a line from the deploy\n');
      const result = await running;
      expect(result.ok).toBe(false);
      expect(result.detail).toMatch(
        new RegExp(`^the long command lost its log: the log thread stopped \\(.*\\); it may still run as pid ${pid}$`),
      );
      await expect.poll(() => sent()).toContain('The log thread stopped');
      await logs.close('run');
    } finally {
      delete process.env.COCKPIT_FAULT;
      try {
        if (pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // Gone with the thread.
      }
    }
  });
});
