/**
 * Redaction of a stream that arrives in chunks, however it is cut: a secret split across chunks
 * — one byte at a time, seconds apart, inside a character — never leaks.
 *
 * Each push lets out what cannot be part of a secret any more and holds back only the shortest
 * tail that could still begin one (at most the longest secret form). When nothing more comes
 * (`flushMasked`, on a timer) or the stream ends, a held tail is let out **masked**; and if the
 * rest of that secret arrives later, it is swallowed by the mask already shown. Only a tail of one
 * or two characters goes out as it is (masking every line that pauses on a letter a secret starts
 * with would shred ordinary output); it is remembered, and the rest of a secret it began is masked.
 */
import { applyMask, redactionMask, type MaskedRange, type Redactor } from './redactor';

/** A held tail shorter than this is let out as it is when the stream pauses. */
const shortestMaskedTail = 3;

export class StreamRedactor {
  /** Text not let out yet: it could be the start of a secret. */
  private held = '';
  /**
   * The end of what was let out already, kept to judge what follows (a wrapped line needs the
   * line before it). Its last `ghostLength` characters are the ghost: a tail let out masked (or
   * too short to mask) that what follows may continue.
   */
  private context = '';
  private ghostLength = 0;
  private isGhostMasked = false;

  constructor(private readonly redactor: Redactor) {}

  /** Masks `chunk` (with what was held) and returns what can be shown now. */
  push(chunk: string): string {
    if (chunk.length === 0) return '';
    const text = this.context + this.held + chunk;
    const shown = this.context.length;
    const ranges = this.redactor.matches(text);
    const cut = this.holdPoint(text, ranges, shown - this.ghostLength);
    if (cut < shown) {
      // Everything since the ghost may still be the rest of its secret.
      this.held += chunk;
      return '';
    }
    // The rest of a secret begun under a mask already shown is not shown again; begun in text
    // shown as it was, the rest is masked.
    const from = this.isGhostMasked
      ? ranges.reduce((end, range) => (range[0] < shown && range[1] > end ? range[1] : end), shown)
      : shown;
    this.held = text.slice(cut);
    this.remember(text.slice(0, cut), 0, false);
    return applyMask(text.slice(from, cut), shifted(ranges, from));
  }

  /** Nothing more came for a while: what is held goes out, masked. */
  flushMasked(): string {
    if (this.held.length === 0) return '';
    const wasMasked = this.isGhostMasked;
    const isMasked = wasMasked || this.ghostLength + this.held.length >= shortestMaskedTail;
    const shownNow = isMasked ? (wasMasked ? '' : redactionMask) : this.held;
    const ghostLength = Math.min(this.ghostLength + this.held.length, this.redactor.longestPatternLength());
    this.remember(this.context + this.held, ghostLength, isMasked);
    this.held = '';
    return shownNow;
  }

  /** The stream ended: what is held goes out, masked. */
  end(): string {
    const rest = this.flushMasked();
    this.remember('', 0, false);
    return rest;
  }

  private remember(shownText: string, ghostLength: number, isGhostMasked: boolean): void {
    this.context = shownText.slice(-(this.redactor.holdWindow() + ghostLength));
    this.ghostLength = Math.min(ghostLength, this.context.length);
    this.isGhostMasked = isGhostMasked && this.ghostLength > 0;
  }

  /** How many characters are held back now. */
  heldLength(): number {
    return this.held.length;
  }

  /**
   * The earliest position from which the text could still grow into a secret (never inside a
   * secret already found, never between the halves of a surrogate pair), or its length.
   */
  private holdPoint(text: string, ranges: MaskedRange[], earliest: number): number {
    const afterLastSecret = ranges.at(-1)?.[1] ?? 0;
    const from = Math.max(afterLastSecret, earliest, text.length - this.redactor.holdWindow());
    for (let start = from; start < text.length; start++) {
      if (this.redactor.couldStartSecret(text, start)) return start;
    }
    const last = text.charCodeAt(text.length - 1);
    return last >= 0xd800 && last <= 0xdbff && text.length - 1 >= afterLastSecret ? text.length - 1 : text.length;
  }
}

/** The ranges (or their parts) at or after `from`, counted from `from`. */
function shifted(ranges: MaskedRange[], from: number): MaskedRange[] {
  return ranges.filter(([, end]) => end > from).map(([start, end]) => [Math.max(start, from) - from, end - from]);
}

/** How long a held tail waits for more text before it goes out masked. */
export const defaultHoldMs = 200;

/**
 * A `StreamRedactor` on a clock: what it lets out goes to `emit`, and a held tail goes out masked
 * once no new text came for `holdMs` (each push starts the wait again).
 */
export class TimedStreamRedactor {
  private readonly stream: StreamRedactor;
  private lastPushAt = 0;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    redactor: Redactor,
    private readonly emit: (text: string) => void,
    private readonly holdMs = defaultHoldMs,
  ) {
    this.stream = new StreamRedactor(redactor);
  }

  push(chunk: string): void {
    this.lastPushAt = performance.now();
    const shown = this.stream.push(chunk);
    if (shown) this.emit(shown);
    if (this.stream.heldLength() > 0) this.wait(this.holdMs);
  }

  /** The stream ended: the held tail goes out masked now. */
  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rest = this.stream.end();
    if (rest) this.emit(rest);
  }

  private wait(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const idle = performance.now() - this.lastPushAt;
      if (idle < this.holdMs) return this.wait(this.holdMs - idle);
      const rest = this.stream.flushMasked();
      if (rest) this.emit(rest);
    }, ms);
    this.timer.unref?.();
  }
}
