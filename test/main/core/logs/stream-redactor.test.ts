import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { StreamRedactor } from '../../../../src/main/core/logs/stream-redactor';

const secret = 'sk_live_9Zx3Q-secret/Token+42';
const encodings = [
  secret,
  Buffer.from(`user:${secret}`).toString('base64'),
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
];

function redactor() {
  const created = new Redactor();
  created.add(secret);
  return created;
}

/** Streams `text` cut at `cuts` through a StreamRedactor and returns everything it let out. */
function stream(text: string, cuts: number[]): string {
  const streaming = new StreamRedactor(redactor());
  let out = '';
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out += streaming.push(text.slice(from, cut));
    from = cut;
  }
  return out + streaming.end();
}

describe('redacting a chunked stream', () => {
  for (const encoded of encodings) {
    it(`never lets ${encoded.slice(0, 12)}… out, whatever byte it is split at (once or twice)`, () => {
      const text = `\u001b[32mstep 1\u001b[0m deploying with ${encoded} done\n next line ${encoded}\n`;
      for (let first = 0; first <= text.length; first++) {
        const out = stream(text, [first]);
        expect(out, `split at ${first}`).not.toContain(secret);
        expect(out).toContain('***');
        for (const leak of [
          encoded.slice(0, Math.ceil(encoded.length / 2) + 2),
          encoded.slice(-Math.ceil(encoded.length / 2) - 2),
        ]) {
          expect(out, `split at ${first}`).not.toContain(leak);
        }
      }
      for (let first = 0; first < text.length; first += 3) {
        for (let second = first; second <= text.length; second += 5) {
          expect(stream(text, [first, second])).not.toContain(secret);
        }
      }
    });
  }

  it('lets text without secrets through unchanged and without delay when no secret could start', () => {
    const streaming = new StreamRedactor(redactor());
    expect(streaming.push('hello world\n')).toBe('hello world\n');
    expect(streaming.heldLength()).toBe(0);
  });

  it('holds back only a tail that could begin a secret, and lets it out masked, never in clear', () => {
    const streaming = new StreamRedactor(redactor());
    expect(streaming.push('token: sk_li')).toBe('token: ');
    expect(streaming.heldLength()).toBe(5);
    expect(streaming.flushMasked()).toBe('***');
    // The rest of that secret, arriving late, is swallowed by the mask already shown.
    expect(streaming.push('ve_9Zx3Q-secret/Token+42 ok\n')).toBe(' ok\n');
    expect(streaming.push('next line\n')).toBe('next line\n');
  });

  it('lets text that only looked like the start of a secret through once it goes on differently', () => {
    const streaming = new StreamRedactor(redactor());
    expect(streaming.push('token: sk_li')).toBe('token: ');
    expect(streaming.push('mit reached\n')).toBe('sk_limit reached\n');
  });

  it('never cuts a surrogate pair in half', () => {
    const streaming = new StreamRedactor(redactor());
    const rocket = '🚀';
    expect(streaming.push(`deploy ${rocket[0]}`)).toBe('deploy ');
    expect(streaming.push(`${rocket[1]} done\n`)).toBe(`${rocket} done\n`);
  });
});
