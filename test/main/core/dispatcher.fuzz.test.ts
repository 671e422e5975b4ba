import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandChannels } from '../../../src/shared/channels';
import { commands } from '../../../src/shared/contract';
import { buildCockpit, buildStartedCockpit } from '../../helpers/cockpit-builder';

// Payloads a hostile or buggy renderer could send: anything JSON-like, prototype-pollution keys,
// huge strings, deep nesting, NaN and infinities, and objects that are almost valid.
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const hugeString = fc.integer({ min: 100_000, max: 1_000_000 }).map((length) => 'x'.repeat(length));
const deepNesting = fc.integer({ min: 100, max: 5_000 }).map((depth) => {
  let value: unknown = {};
  for (let level = 0; level < depth; level++) value = { nested: value };
  return value;
});
const pollution = fc
  .tuple(hostileKey, fc.anything())
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value ?? null) ?? 'null'}}`));
const payload = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, null, '', [], () => 1, Symbol('s')),
  hugeString,
  deepNesting,
  pollution,
  fc.dictionary(fc.oneof(fc.string(), hostileKey), fc.anything()).filter((value) => Object.keys(value).length > 0),
);

describe('the dispatcher under fuzzing', () => {
  for (const channel of commandChannels) {
    it(`answers 1,000+ malformed payloads on ${channel} with a typed error and no side effect`, async () => {
      const { cockpit, logEntries } = await buildStartedCockpit();
      const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(payload, async (input) => {
          const reply = await cockpit.dispatch(channel, input);
          // An input that happens to satisfy the schema (e.g. `{}`) must succeed; anything else is
          // refused with a typed error.
          if (commands[channel].input.safeParse(input).success) {
            if (!reply.ok) expect(reply.error.code).not.toBe('INTERNAL');
            return;
          }
          expect(reply.ok).toBe(false);
          if (!reply.ok) {
            expect(reply.error.code).toBe('BAD_INPUT');
            expect(typeof reply.error.message).toBe('string');
          }
          rejected++;
        }),
        { numRuns: 1_500 },
      );
      expect(rejected).toBeGreaterThanOrEqual(1_000);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(logEntries.filter((entry) => entry.level === 'error')).toHaveLength(0);
    });
  }

  it('answers 1,000+ random channel names with UNKNOWN_CHANNEL', async () => {
    const { cockpit } = buildCockpit();
    const known = new Set<string>(commandChannels);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.anything(), hostileKey).filter((name) => !known.has(name as string)),
        fc.anything(),
        async (name, input) => {
          const reply = await cockpit.dispatch(name, input);
          expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
