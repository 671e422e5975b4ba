/**
 * No secret shape reaches the run's log file or the renderer's events through the real log bus,
 * however the text is cut and however long the pieces wait: every shape, split at every point,
 * with pauses shorter and longer than the bus's hold, one character at a time, and at random —
 * with the bus in the main thread and in its own thread (the app's way).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LogBus, type LogChunk } from '../../../../src/main/core/logs/log-bus';
import { LogBusThread } from '../../../../src/main/core/logs/log-bus-thread';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';

const secrets = ['sk_live_9Zx3Q-secret/Token+42"é', 'cfy_Deploy-Token_7q8w9e', 'pässwörd:ünïcode-€-42'];
const holdMs = 15;

const shapes: [string, (secret: string) => string][] = [
  ['plain', (secret) => secret],
  ['JSON-escaped', (secret) => JSON.stringify(secret).slice(1, -1)],
  ['JSON-escaped twice', (secret) => JSON.stringify(JSON.stringify(secret)).slice(1, -1)],
  ['percent-encoded', (secret) => encodeURIComponent(secret)],
  [
    'percent-encoded, lowercase',
    (secret) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  ],
  ['hex', (secret) => Buffer.from(secret).toString('hex')],
  ['HEX', (secret) => Buffer.from(secret).toString('hex').toUpperCase()],
  ['base64 of user:secret', (secret) => Buffer.from(`user:${secret}`).toString('base64')],
  ['base64url', (secret) => Buffer.from(secret).toString('base64url')],
  [
    'base64 wrapped at 76 columns',
    (secret) =>
      (
        Buffer.from(`${'x'.repeat(40)}${secret}`)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n'),
  ],
  [
    'base64 wrapped at 76 columns with CRLF',
    (secret) =>
      (
        Buffer.from(`${'y'.repeat(47)}${secret}`)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n'),
  ],
];

type Where = 'in the main thread' | 'in the log thread';
const threads: LogBusThread[] = [];
afterAll(() => threads.forEach((thread) => thread.stop()));

function newBus(where: Where) {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  const sent = new Map<string, string>();
  const options = {
    redactor,
    folder: temporaryDataDir(),
    emit: (runId: string, chunks: LogChunk[]) =>
      sent.set(runId, (sent.get(runId) ?? '') + chunks.map((chunk) => chunk.text).join('')),
    holdMs,
  };
  const bus = where === 'in the main thread' ? new LogBus(options) : new LogBusThread(options);
  if (bus instanceof LogBusThread) threads.push(bus);
  return { bus, sent, forms: redactor.maskedForms() };
}

/** Every 8-character stretch of every masked form: none may be seen. */
function leakWindows(forms: readonly string[]): string[] {
  const windows = new Set<string>();
  for (const form of forms) for (let at = 0; at + 8 <= form.length; at++) windows.add(form.slice(at, at + 8));
  return [...windows];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Streams `pieces` into one run, waiting `delays[i]` ms before piece i, and returns what got out. */
async function streamRun(
  context: ReturnType<typeof newBus>,
  runId: string,
  pieces: string[],
  delays: number[],
): Promise<string[]> {
  for (const [index, piece] of pieces.entries()) {
    if (delays[index]! > 0) await pause(delays[index]!);
    context.bus.push(runId, 'payment-service', piece);
  }
  await context.bus.close(runId);
  return [context.sent.get(runId) ?? '', readFileSync(context.bus.fileOf(runId), 'utf8')];
}

function expectNoLeak(outputs: string[], windows: string[], what: string) {
  for (const output of outputs) {
    const leaked = windows.find((window) => output.includes(window));
    expect(leaked, `${what}: ${JSON.stringify(output.slice(0, 300))}`).toBeUndefined();
  }
}

function lineFor(encoded: string) {
  return `\u001b[32m▶ step\u001b[0m \u001b[1mAuthorization:\u001b[22m ${encoded} \u001b]0;title\u0007 done\n`;
}

describe.each<Where>(['in the main thread', 'in the log thread'])(
  'redaction through the real log bus %s (property)',
  (where) => {
    it.each(shapes)(
      'never lets a %s secret out, split at every point, with and without a pause',
      async (_label, encode) => {
        const context = newBus(where);
        const windows = leakWindows(context.forms);
        for (const secret of secrets) {
          const line = lineFor(encode(secret));
          // Split at every point; the pause before the second piece alternates between none, shorter and
          // longer than the hold. Runs go in parallel, each on its own run id.
          const runs = [...Array(line.length + 1).keys()].map((split) => {
            const delay = [0, holdMs / 3, holdMs * 2][split % 3]!;
            return streamRun(
              context,
              `split-${secrets.indexOf(secret)}-${split}`,
              [line.slice(0, split), line.slice(split)],
              [0, delay],
            );
          });
          for (const [split, outputs] of (await Promise.all(runs)).entries()) {
            expectNoLeak(outputs, windows, `split at ${split}`);
            expect(outputs[1]).toContain(' done\n');
          }
        }
      },
    );

    it.each(shapes)(
      'never lets a %s secret out written one character at a time, slower than the hold',
      async (_label, encode) => {
        const context = newBus(where);
        const windows = leakWindows(context.forms);
        const line = lineFor(encode(secrets[0]!));
        const pieces = [...line];
        const outputs = await streamRun(
          context,
          'one-at-a-time',
          pieces,
          pieces.map((_, index) => (index % 7 === 3 ? holdMs * 2 : 0)),
        );
        expectNoLeak(outputs, windows, 'one at a time');
        expect(outputs[0]).toContain('***');
      },
    );

    it('never lets any shape out, cut at random points with random pauses', async () => {
      const context = newBus(where);
      const windows = leakWindows(context.forms);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...shapes.map(([, encode]) => encode)),
          fc.constantFrom(...secrets),
          fc.array(fc.nat(), { maxLength: 6 }),
          fc.array(fc.constantFrom(0, 1, holdMs * 2), { minLength: 7, maxLength: 7 }),
          async (encode, secret, cutSeeds, delays) => {
            const line = lineFor(encode(secret)) + lineFor(encode(secret));
            const cuts = [...new Set(cutSeeds.map((seed) => seed % (line.length + 1)))].sort((a, b) => a - b);
            const pieces = [0, ...cuts].map((from, index) => line.slice(from, [...cuts, line.length][index]));
            const outputs = await streamRun(context, `random-${run++}`, pieces, delays);
            expectNoLeak(outputs, windows, `cuts ${cuts.join(',')}`);
          },
        ),
        { numRuns: 150 },
      );
    });
  },
);

describe('redaction of a child read by the log thread (a deploy command’s output)', () => {
  it.each(shapes)(
    'never lets a %s secret out of a child writing it in pieces, with pauses longer than the hold',
    async (_label, encode) => {
      const context = newBus('in the log thread');
      const bus = context.bus as LogBusThread;
      const windows = leakWindows(context.forms);
      const text = secrets.map((secret) => lineFor(encode(secret))).join('');
      // Cut at shifting points, 1 to 29 characters apart; every third piece waits twice the hold.
      const pieces: string[] = [];
      for (let from = 0, index = 0; from < text.length; index++) {
        const to = Math.min(text.length, from + 1 + ((index * 7) % 29));
        pieces.push(text.slice(from, to));
        from = to;
      }
      const writer = [
        'const [pieces, pause] = JSON.parse(process.argv[1]);',
        '(async () => { for (const [index, piece] of pieces.entries()) {',
        '  await new Promise((resolve) => process.stdout.write(piece, resolve));',
        '  if (index % 3 === 2) await new Promise((resolve) => setTimeout(resolve, pause));',
        '} })();',
      ].join('\n');
      const result = await bus.runCommand(
        'child',
        'payment-service',
        [process.execPath, '-e', writer, JSON.stringify([pieces, holdMs * 2])],
        { label: 'the writing child', timeoutMs: 600_000 },
      );
      expect(result.ok).toBe(true);
      await bus.close('child');
      const outputs = [context.sent.get('child') ?? '', readFileSync(bus.fileOf('child'), 'utf8')];
      expectNoLeak(outputs, windows, 'a child in pieces');
      expect(outputs[1]!.split(' done\n')).toHaveLength(secrets.length + 1);
    },
  );
});
