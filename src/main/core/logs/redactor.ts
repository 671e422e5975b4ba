/**
 * Masks known secret values in text before it reaches a log, an error, the ledger or the renderer.
 *
 * Like the GitHub Actions runner, it masks each value and the encodings a value commonly travels
 * in: base64 (also of the value preceded by one or two bytes, so `base64("user:" + secret)` is
 * caught, and wrapped over lines as `base64` and MIME wrap it), base64url, JSON-escaped (once and
 * twice), URI-encoded (upper- and lowercase escapes), hex, and each line of a multi-line secret.
 */

export const redactionMask = '***';

/** Secrets shorter than this are not masked: masking "a" or "12" would shred every log. */
const minimumSecretLength = 4;

/**
 * A line break that may be a base64 wrap: after a run of base64 characters as long as a wrapped
 * line's start (`base64` wraps at 76, PEM at 64), before another base64 character.
 */
const wrappedLineStart = 20;
const base64Character = /[A-Za-z0-9+/=_-]/;
const wrapBreak = new RegExp(`(?<=[A-Za-z0-9+/=_-]{${wrappedLineStart}})\\r?\\n(?=[A-Za-z0-9+/=_-])`, 'g');

/** A half-open range `[start, end)` of text to mask. */
export type MaskedRange = [number, number];

export class Redactor {
  /** Forms matched as they are. */
  private literals: string[] = [];
  /** base64 forms, also matched across line wraps. */
  private wrappable: string[] = [];
  private firstCharacters = new Set<string>();
  private longest = 0;
  /** The secrets added, in order, for redactors in other threads (`onAdd`). */
  private readonly secrets: string[] = [];
  private readonly listeners = new Set<(secret: string) => void>();

  /** Starts masking `secret` and its encodings. */
  add(secret: string): void {
    if (!this.secrets.includes(secret)) {
      this.secrets.push(secret);
      for (const listener of this.listeners) listener(secret);
    }
    const { literal, wrappable } = encodingsOf(secret);
    const keep = (forms: Iterable<string>, into: string[]) =>
      [...new Set([...into, ...[...forms].filter((form) => form.length >= minimumSecretLength)])].sort(
        (a, b) => b.length - a.length,
      );
    this.literals = keep(literal, this.literals);
    this.wrappable = keep(wrappable, this.wrappable);
    this.firstCharacters = new Set([...this.literals, ...this.wrappable].map((form) => form[0]!));
    this.longest = Math.max(this.literals[0]?.length ?? 0, this.wrappable[0]?.length ?? 0);
  }

  /**
   * Calls `listener` with every secret added so far and each one added from now on, in order
   * (a redactor in another thread keeps the same secrets). Returns the way to stop.
   */
  onAdd(listener: (secret: string) => void): () => void {
    for (const secret of this.secrets) listener(secret);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every masked form, longest first. */
  maskedForms(): readonly string[] {
    return [...this.literals, ...this.wrappable].sort((a, b) => b.length - a.length);
  }

  /** The length of the longest masked form: what a streaming masker must hold back, at most. */
  longestPatternLength(): number {
    return this.longest;
  }

  /** Returns `text` with every known secret form replaced by `***`. */
  redact(text: string): string {
    return applyMask(text, this.matches(text));
  }

  /** Where the secret forms are in `text`: sorted, merged ranges. */
  matches(text: string): MaskedRange[] {
    if (this.longest === 0) return [];
    const ranges: MaskedRange[] = [];
    for (const form of this.literals) addOccurrences(text, form, ranges, (index) => [index, index + form.length]);
    if (this.wrappable.length > 0) {
      const view = text.includes('\n') ? joinedView(text) : undefined;
      const searched = view?.text ?? text;
      for (const form of this.wrappable) {
        addOccurrences(searched, form, ranges, (index) =>
          view ? [view.original(index), view.original(index + form.length - 1) + 1] : [index, index + form.length],
        );
      }
    }
    return mergeRanges(ranges);
  }

  /** Whether `text` from `start` on, with more text after it, could still become a secret form. */
  couldStartSecret(text: string, start: number): boolean {
    if (start >= text.length || !this.firstCharacters.has(text[start]!)) return false;
    const tail = text.slice(start);
    if (this.literals.some((form) => form.length > tail.length && form.startsWith(tail))) return true;
    const joined = /[\r\n]/.test(tail) ? joinedTail(text, start) : tail;
    return (
      joined !== undefined && this.wrappable.some((form) => form.length > joined.length && form.startsWith(joined))
    );
  }

  /** How far back from the end of a text a secret form could have begun (wraps included). */
  holdWindow(): number {
    return this.longest + 2 * (Math.ceil(this.longest / 60) + 1);
  }
}

/** `text` with each range replaced by the mask. */
export function applyMask(text: string, ranges: readonly MaskedRange[]): string {
  if (ranges.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of ranges) {
    out += text.slice(from, start) + redactionMask;
    from = end;
  }
  return out + text.slice(from);
}

function addOccurrences(
  text: string,
  form: string,
  ranges: MaskedRange[],
  toRange: (index: number) => MaskedRange,
): void {
  for (let index = text.indexOf(form); index !== -1; index = text.indexOf(form, index + 1)) {
    ranges.push(toRange(index));
  }
}

function mergeRanges(ranges: MaskedRange[]): MaskedRange[] {
  if (ranges.length <= 1) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: MaskedRange[] = [ranges[0]!];
  for (const range of ranges.slice(1)) {
    const last = merged.at(-1)!;
    if (range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/**
 * `text` from `start` with its wrap breaks removed — a break at the very end counts too, the next
 * line may continue it — or `undefined` when one of its line breaks cannot be a wrap.
 */
function joinedTail(text: string, start: number): string | undefined {
  const endsAtBreak = (at: number) => {
    const before = text.slice(Math.max(0, at - wrappedLineStart), at);
    return before.length === wrappedLineStart && [...before].every((character) => base64Character.test(character));
  };
  let joined = '';
  let from = start;
  for (let at = text.indexOf('\n', start); at !== -1; at = text.indexOf('\n', at + 1)) {
    const breakStart = text[at - 1] === '\r' ? at - 1 : at;
    const after = text[at + 1];
    if (!endsAtBreak(breakStart) || (after !== undefined && !base64Character.test(after))) return undefined;
    joined += text.slice(from, breakStart);
    from = at + 1;
  }
  const rest = text.slice(from);
  // A CR at the very end may be the first half of a CRLF wrap.
  if (rest.endsWith('\r') && endsAtBreak(text.length - 1)) return joined + rest.slice(0, -1);
  return rest.includes('\r') ? undefined : joined + rest;
}

/** `text` with its wrap breaks removed, and the way back to its positions. */
function joinedView(text: string): { text: string; original: (index: number) => number } {
  // removed[i] = [position in the joined text, characters removed before it so far]
  const removed: [number, number][] = [];
  let total = 0;
  const joined = text.replace(wrapBreak, (match: string, offset: number) => {
    removed.push([offset - total, total + match.length]);
    total += match.length;
    return '';
  });
  return {
    text: joined,
    original(index) {
      let shift = 0;
      let low = 0;
      let high = removed.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (removed[middle]![0] <= index) {
          shift = removed[middle]![1];
          low = middle + 1;
        } else high = middle - 1;
      }
      return index + shift;
    },
  };
}

function encodingsOf(secret: string): { literal: Set<string>; wrappable: Set<string> } {
  const literal = new Set<string>([secret]);
  const wrappable = new Set<string>();
  const lines = secret.split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (lines.length > 1) for (const line of lines) literal.add(line);
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  literal.add(jsonEscaped);
  literal.add(JSON.stringify(jsonEscaped).slice(1, -1));
  for (const uriEncoded of [encodeURIComponent(secret), encodeURI(secret)]) {
    literal.add(uriEncoded);
    literal.add(uriEncoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  }
  const bytes = Buffer.from(secret, 'utf8');
  literal.add(bytes.toString('hex'));
  literal.add(bytes.toString('hex').toUpperCase());
  for (const prefixLength of [0, 1, 2]) {
    // base64 of (any `prefixLength` bytes + secret): the stable middle of it does not depend on the
    // prefix, so it is masked whatever precedes the secret in the encoded text.
    const shifted = Buffer.concat([Buffer.alloc(prefixLength), bytes]);
    const stableStart = prefixLength === 0 ? 0 : 4;
    const trailing = (bytes.length + prefixLength) % 3 === 0 ? undefined : -4;
    const base64 = shifted.toString('base64').slice(stableStart, trailing);
    if (base64.length >= 6) wrappable.add(base64);
    const base64url = shifted.toString('base64url');
    wrappable.add(base64url.slice(stableStart, trailing === undefined ? base64url.length : trailing));
  }
  return { literal, wrappable };
}
