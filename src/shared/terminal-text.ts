/**
 * Text from outside (service logs, health payloads, repository content) made safe for a
 * terminal: colours (SGR) stay; every other escape sequence — window titles, clipboard writes
 * (OSC 52), hyperlinks (OSC 8), cursor movement, screen clearing — and every control character
 * but tab, line feed and carriage return is dropped.
 */

/** An incomplete escape sequence longer than this is dropped rather than held. */
const maxHeldSequence = 4_096;

// These patterns are about control characters: matching them is their whole point.
/* eslint-disable no-control-regex */
const plainRun = /[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+/y;
const sgr = /\x1b\[[0-9;:]*m/y;
const otherCsi = /\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]/y;
const osc = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;
const controlString = /\x1b[PX^_][\s\S]*?\x1b\\/y;
const otherEscape = /\x1b(?![[\]PX^_])[\x20-\x2f]*[\x30-\x7e]/y;
/** Something to drop or hold: a control character but tab, LF, CR, or an escape that is not a colour. */
const anythingToFilter = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]|\x1b(?!\[[0-9;:]*m)/;
/** What an escape sequence cut off by the end of the text looks like so far. */
const unfinished = /\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*|\][^\x07\x1b]*\x1b?|[PX^_][\s\S]*|[\x20-\x2f]*)$/y;
/* eslint-enable no-control-regex */

/** Filters a stream of terminal text, holding an escape sequence cut between two chunks. */
export class TerminalTextFilter {
  private pending = '';

  /** The safe part of `chunk` (with what was held), holding an unfinished escape sequence. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    this.pending = '';
    // Most output is plain text and colours: one scan, and it goes out as it came.
    if (!anythingToFilter.test(text)) return text;
    let out = '';
    let at = 0;
    while (at < text.length) {
      plainRun.lastIndex = at;
      if (plainRun.test(text)) {
        out += text.slice(at, plainRun.lastIndex);
        at = plainRun.lastIndex;
        continue;
      }
      const code = text.charCodeAt(at);
      if (code !== 0x1b) {
        // A control character: tab, LF and CR are plain text; the rest is dropped.
        if (code === 0x09 || code === 0x0a || code === 0x0d) out += text[at];
        at++;
        continue;
      }
      const kept = match(sgr, text, at);
      if (kept !== undefined) {
        out += text.slice(at, kept);
        at = kept;
        continue;
      }
      const dropped = match(otherCsi, text, at) ?? match(osc, text, at) ?? match(controlString, text, at);
      const end = dropped ?? match(otherEscape, text, at);
      if (end !== undefined) {
        at = end;
        continue;
      }
      if (match(unfinished, text, at) === text.length && text.length - at <= maxHeldSequence) {
        this.pending = text.slice(at);
        break;
      }
      at++; // A lone or malformed ESC.
    }
    return out;
  }

  /** The stream ended: an unfinished sequence is dropped. */
  end(): string {
    this.pending = '';
    return '';
  }
}

/** `text` made safe for a terminal in one go (an unfinished sequence at its end is dropped). */
export function terminalSafe(text: string): string {
  return new TerminalTextFilter().push(text);
}

function match(pattern: RegExp, text: string, at: number): number | undefined {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : undefined;
}
