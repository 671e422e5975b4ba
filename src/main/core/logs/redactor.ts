/**
 * Masks known secret values in text before it reaches a log, an error, the ledger or the renderer.
 *
 * Like the GitHub Actions runner, it masks each value and the encodings a value commonly travels
 * in: base64 (also of the value preceded by one or two bytes, so `base64("user:" + secret)` is
 * caught), JSON-escaped, URI-encoded, and each line of a multi-line secret.
 */

export const redactionMask = '***';

/** Secrets shorter than this are not masked: masking "a" or "12" would shred every log. */
const minimumSecretLength = 4;

export class Redactor {
  private readonly patterns = new Set<string>();
  private sortedPatterns: string[] = [];

  /** Starts masking `secret` and its encodings. */
  add(secret: string): void {
    for (const variant of encodingsOf(secret)) {
      if (variant.length >= minimumSecretLength) this.patterns.add(variant);
    }
    // Longest first, so a value is masked whole before any shorter variant inside it.
    this.sortedPatterns = [...this.patterns].sort((a, b) => b.length - a.length);
  }

  /** Every masked form, longest first. */
  maskedForms(): readonly string[] {
    return this.sortedPatterns;
  }

  /** The length of the longest masked form: what a streaming masker must hold back. */
  longestPatternLength(): number {
    return this.sortedPatterns[0]?.length ?? 0;
  }

  /** Returns `text` with every known secret form replaced by `***`. */
  redact(text: string): string {
    let out = text;
    for (const pattern of this.sortedPatterns) {
      if (out.includes(pattern)) out = out.split(pattern).join(redactionMask);
    }
    return out;
  }
}

function encodingsOf(secret: string): Set<string> {
  const variants = new Set<string>([secret]);
  const lines = secret.split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (lines.length > 1) for (const line of lines) variants.add(line);
  variants.add(JSON.stringify(secret).slice(1, -1));
  variants.add(encodeURIComponent(secret));
  variants.add(encodeURI(secret));
  const bytes = Buffer.from(secret, 'utf8');
  for (const prefixLength of [0, 1, 2]) {
    // base64 of (any `prefixLength` bytes + secret): the stable middle of it does not depend on the
    // prefix, so it is masked whatever precedes the secret in the encoded text.
    const shifted = Buffer.concat([Buffer.alloc(prefixLength), bytes]).toString('base64');
    const stableStart = prefixLength === 0 ? 0 : 4;
    const trailing = (bytes.length + prefixLength) % 3 === 0 ? shifted.length : shifted.length - 4;
    const stable = shifted.slice(stableStart, trailing);
    if (stable.length >= 6) variants.add(stable);
    variants.add(
      Buffer.concat([Buffer.alloc(prefixLength), bytes])
        .toString('base64url')
        .slice(stableStart, trailing),
    );
  }
  return variants;
}
