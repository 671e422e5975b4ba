/**
 * Redaction of a stream that arrives in chunks: a secret split across two chunks must not leak
 * half. Each push masks what is complete, then holds back the shortest tail that could still be
 * the beginning of a secret; `flush` (on a timer, or at the end of the stream) lets it go.
 */
import { redactionMask, type Redactor } from './redactor';

export class StreamRedactor {
  private held = '';

  constructor(private readonly redactor: Redactor) {}

  /** Masks `chunk` (with what was held) and returns what can be sent now. */
  push(chunk: string): string {
    const text = this.redactor.redact(this.held + chunk);
    const cut = this.holdPoint(text);
    this.held = text.slice(cut);
    return text.slice(0, cut);
  }

  /** Returns what is held (the stream ended, or it has waited long enough). */
  flush(): string {
    const rest = this.redactor.redact(this.held);
    this.held = '';
    return rest;
  }

  /** How many characters are held back now. */
  heldLength(): number {
    return this.held.length;
  }

  /** The earliest position whose tail could still grow into a secret. */
  private holdPoint(text: string): number {
    const longest = this.redactor.longestPatternLength();
    if (longest <= 1) return text.length;
    const patterns = this.redactor.maskedForms();
    for (let start = Math.max(0, text.length - (longest - 1)); start < text.length; start++) {
      const tail = text.slice(start);
      if (tail.startsWith(redactionMask)) continue;
      if (patterns.some((pattern) => pattern.length > tail.length && pattern.startsWith(tail))) return start;
    }
    return text.length;
  }
}
