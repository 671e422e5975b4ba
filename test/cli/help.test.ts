/**
 * `cockpit <command> --help` for every command `cockpit --help` lists: exit 0 and its usage on
 * standard output — never a parser error, and never the command itself run.
 */
import { describe, expect, it } from 'vitest';
import { runCockpit } from '../helpers/cockpit-cli';

describe('cockpit <command> --help', () => {
  it('exits 0 with a usage line for every command the help lists', async () => {
    const help = await runCockpit(['--help']);
    const commands = [...help.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((match) => match[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(20);
    // Four at a time: each is a child process of its own.
    for (let index = 0; index < commands.length; index += 4) {
      const batch = commands.slice(index, index + 4);
      const results = await Promise.all(batch.map((command) => runCockpit([command, '--help'])));
      batch.forEach((command, offset) => {
        const result = results[offset]!;
        expect(result.code, `${command}: ${result.stderr}`).toBe(0);
        expect(result.stdout, command).toMatch(/^Usage:/);
        expect(result.stdout, command).toContain(`cockpit ${command}`);
        expect(result.stdout, command).not.toMatch(/Unknown option/);
      });
    }
  }, 120_000);
});
