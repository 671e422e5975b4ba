/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { TerminalTextFilter, terminalSafe } from '../../src/shared/terminal-text';

const ESC = '\u001b';
const hostile: [string, string][] = [
  ['a window title (OSC 0)', `${ESC}]0;pwned${ESC}\\`],
  ['a window title ended by BEL (OSC 2)', `${ESC}]2;pwned\u0007`],
  ['a clipboard write (OSC 52)', `${ESC}]52;c;ZWNobyBwd25lZA==\u0007`],
  ['a file: hyperlink (OSC 8)', `${ESC}]8;;file:///etc/passwd\u0007click${ESC}]8;;\u0007`],
  ['a javascript: hyperlink (OSC 8)', `${ESC}]8;;javascript:alert(1)${ESC}\\here${ESC}]8;;${ESC}\\`],
  ['the cursor moved up over earlier lines', `${ESC}[3A${ESC}[2K`],
  ['the screen cleared', `${ESC}[2J${ESC}[H`],
  ['a device control string', `${ESC}Pq#0;2;0;0;0${ESC}\\`],
  ['an 8-bit CSI', '\u009b2J'],
  ['a terminal reset', `${ESC}c`],
  ['backspaces over earlier text', '\b\b\b\bOK'],
  ['a bell', '\u0007'],
];

describe('text from outside, made safe for a terminal', () => {
  it.each(hostile)('drops %s and keeps the text and its colours', (_label, sequence) => {
    const text = `${ESC}[32mstep 1${ESC}[0m before ${sequence} after\n`;
    const safe = terminalSafe(text);
    expect(safe).toContain(`${ESC}[32mstep 1${ESC}[0m before `);
    expect(safe).toContain(' after\n');
    expect(safe.replaceAll(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('gives the same result whatever point the stream is cut at', () => {
    const text = hostile.map(([, sequence]) => `${ESC}[1mline${ESC}[22m ${sequence} done\r\n`).join('');
    const whole = terminalSafe(text);
    for (let cut = 0; cut <= text.length; cut++) {
      const filter = new TerminalTextFilter();
      expect(filter.push(text.slice(0, cut)) + filter.push(text.slice(cut)) + filter.end(), `cut at ${cut}`).toBe(
        whole,
      );
    }
  });

  it('leaves a real terminal with no title, no clipboard write, no hyperlink and its earlier lines in place', async () => {
    const terminal = new Terminal({ cols: 80, rows: 10, allowProposedApi: true });
    const acted: string[] = [];
    terminal.onTitleChange((title) => acted.push(`title ${title}`));
    for (const code of [8, 52]) terminal.parser.registerOscHandler(code, () => (acted.push(`osc ${code}`), true));
    terminal.parser.registerCsiHandler({ final: 'A' }, () => (acted.push('cursor up'), true));
    terminal.parser.registerCsiHandler({ final: 'J' }, () => (acted.push('clear'), true));
    const text = `earlier line\n${hostile.map(([, sequence]) => `x ${sequence}\n`).join('')}`;
    await new Promise<void>((resolve) => terminal.write(terminalSafe(text), resolve));
    expect(acted).toEqual([]);
    expect(terminal.buffer.active.getLine(0)?.translateToString(true)).toBe('earlier line');
    terminal.dispose();
  });
});
