import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../../src/main/core/logs/redactor';

const secret = 'ghp_Sup3r/S3cret+T0ken"x';

function redactorFor(...secrets: string[]) {
  const redactor = new Redactor();
  for (const value of secrets) redactor.add(value);
  return redactor;
}

describe('the redactor', () => {
  it.each([
    ['plain', (value: string) => `token=${value} rest`],
    ['JSON-escaped', (value: string) => JSON.stringify({ token: value })],
    ['URI-encoded', (value: string) => `https://x.example/?t=${encodeURIComponent(value)}`],
    ['base64', (value: string) => Buffer.from(value).toString('base64')],
    ['base64 after "user:"', (value: string) => `Basic ${Buffer.from(`user:${value}`).toString('base64')}`],
    ['base64 after one byte', (value: string) => Buffer.from(`a${value}`).toString('base64')],
    ['base64 after two bytes', (value: string) => Buffer.from(`ab${value}`).toString('base64')],
    ['base64url', (value: string) => Buffer.from(value).toString('base64url')],
  ])('masks the %s form', (_label, encode) => {
    const encoded = encode(secret);
    const redacted = redactorFor(secret).redact(encoded);
    expect(redacted).toContain('***');
    const plainBase64 = Buffer.from(secret).toString('base64');
    expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(plainBase64.slice(4, -4));
  });

  it('masks each line of a multi-line secret', () => {
    const key = '-----BEGIN KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEAq7\n-----END KEY-----';
    const redacted = redactorFor(key).redact('line: MIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8AgEAAkEAq7 leaked');
    expect(redacted).toBe('line: *** leaked');
  });

  it('leaves text without secrets untouched, and ignores values too short to mask safely', () => {
    const redactor = redactorFor('abc', secret);
    expect(redactor.redact('abc is fine')).toBe('abc is fine');
    expect(redactor.redact('nothing here')).toBe('nothing here');
  });

  it('masks several secrets in one text', () => {
    const redacted = redactorFor('first-secret-1', 'second-secret-2').redact('a first-secret-1 b second-secret-2 c');
    expect(redacted).toBe('a *** b *** c');
  });
});
