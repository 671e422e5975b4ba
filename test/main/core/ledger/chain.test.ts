import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readChain, type LedgerAnchor } from '../../../../src/main/core/ledger/chain';
import { canonicalJson } from '../../../../src/main/core/ledger/canonical-json';
import { stepEntry, temporaryLedger } from './ledger-builder';

// A small real ledger, written through the Ledger class, then attacked byte by byte in memory.
let original: Buffer;
let lineStarts: number[];
let anchor: LedgerAnchor;
const recordCount = 12;

function lineOfOffset(offset: number): number {
  let line = 0;
  while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
  return line + 1;
}

function verifyText(text: string, withAnchor = anchor) {
  return readChain(text, withAnchor).verification;
}

beforeAll(async () => {
  const ledger = temporaryLedger();
  for (let index = 0; index < recordCount; index++) await ledger.append([stepEntry(index)]);
  original = readFileSync(ledger.paths.file);
  anchor = JSON.parse(readFileSync(ledger.paths.anchor, 'utf8')) as LedgerAnchor;
  lineStarts = [0];
  original.forEach((byte, offset) => {
    if (byte === 0x0a && offset + 1 < original.length) lineStarts.push(offset + 1);
  });
});

describe('verifying the chain', () => {
  it('accepts the untouched ledger', () => {
    expect(verifyText(original.toString('utf8'))).toEqual({
      isValid: true,
      recordCount,
      problem: undefined,
      tornTail: undefined,
    });
  });

  it('detects every single-byte change, at the line where it happened', () => {
    let detected = 0;
    for (let offset = 0; offset < original.length; offset++) {
      for (const mask of [0x01, 0x20]) {
        const changed = Buffer.from(original);
        changed[offset] = changed[offset]! ^ mask;
        const verification = verifyText(changed.toString('utf8'));
        // The newline ending the last record is not part of any record: changing it tears the tail.
        if (offset === original.length - 1) {
          expect(verification.tornTail ?? verification.problem).toBeDefined();
          detected++;
          continue;
        }
        expect(verification.isValid, `byte ${offset} ^ ${mask}`).toBe(false);
        expect(verification.problem?.line, `byte ${offset} ^ ${mask}`).toBe(lineOfOffset(offset));
        detected++;
      }
    }
    expect(detected).toBe(original.length * 2);
  });

  it('detects any deleted line, at its position', () => {
    const lines = original.toString('utf8').trimEnd().split('\n');
    for (let index = 0; index < lines.length; index++) {
      const text = `${lines.filter((_, position) => position !== index).join('\n')}\n`;
      const verification = verifyText(text);
      expect(verification.isValid).toBe(false);
      expect(verification.problem?.line).toBe(index + 1);
    }
  });

  it('detects any swapped pair of lines, at the first of the two', () => {
    const lines = original.toString('utf8').trimEnd().split('\n');
    for (let first = 0; first < lines.length; first++) {
      for (let second = first + 1; second < lines.length; second++) {
        const swapped = [...lines];
        [swapped[first], swapped[second]] = [swapped[second]!, swapped[first]!];
        const verification = verifyText(`${swapped.join('\n')}\n`);
        expect(verification.problem?.line, `${first + 1} ↔ ${second + 1}`).toBe(first + 1);
      }
    }
  });

  it('detects a record inserted anywhere', () => {
    const lines = original.toString('utf8').trimEnd().split('\n');
    for (let index = 0; index <= lines.length; index++) {
      // A genuine record of this ledger, in the wrong place.
      const inserted = [...lines.slice(0, index), lines[(index + 1) % lines.length]!, ...lines.slice(index)];
      expect(verifyText(`${inserted.join('\n')}\n`).problem?.line).toBe(index + 1);
    }
  });

  it('detects records cut from the end through the anchor, at the first missing line', () => {
    const lines = original.toString('utf8').trimEnd().split('\n');
    for (let kept = 0; kept < lines.length; kept++) {
      const text = kept === 0 ? '' : `${lines.slice(0, kept).join('\n')}\n`;
      const verification = verifyText(text);
      expect(verification.isValid).toBe(false);
      expect(verification.problem?.line).toBe(kept + 1);
      expect(verification.problem?.message).toContain('records were removed from the end');
    }
  });

  it('reports a torn last line at every cut offset, without a false tamper alarm', () => {
    const lastStart = lineStarts.at(-1)!;
    for (let cut = lastStart + 1; cut < original.length; cut++) {
      const torn = original.subarray(0, cut);
      // The anchor of a crashed append was never written: it still names the previous head.
      const previousLine = torn.toString('utf8').split('\n')[recordCount - 2]!;
      const anchorBefore = { count: recordCount - 1, hash: JSON.parse(previousLine).hash as string };
      const verification = readChain(torn, anchorBefore).verification;
      expect(verification.isValid, `cut at ${cut}`).toBe(true);
      expect(verification.recordCount).toBe(recordCount - 1);
      expect(verification.tornTail, `cut at ${cut}`).toEqual({ line: recordCount, bytes: cut - lastStart });
    }
  });

  it('detects a record rewritten with its keys reordered (not canonical) even with a valid hash', () => {
    const lines = original.toString('utf8').trimEnd().split('\n');
    const record = JSON.parse(lines[3]!) as Record<string, unknown>;
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(record).reverse()));
    expect(reordered).not.toBe(canonicalJson(record));
    lines[3] = reordered;
    expect(verifyText(`${lines.join('\n')}\n`).problem).toEqual({
      line: 4,
      message: 'not in canonical form: the record was edited',
    });
  });

  it('detects a whole rewritten chain through the anchored head', async () => {
    const forged = temporaryLedger();
    for (let index = 0; index < recordCount; index++) await forged.append([{ ...stepEntry(index), summary: 'forged' }]);
    const verification = verifyText(readFileSync(forged.paths.file, 'utf8'));
    expect(verification.problem).toEqual({
      line: recordCount,
      message: 'does not match the anchored head: the ledger was rewritten',
    });
    writeFileSync(forged.paths.anchor, JSON.stringify(anchor));
  });
});
