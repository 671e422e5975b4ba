/**
 * Entry of the `cockpit` bin.
 */
import { terminalSafe } from '../../shared/terminal-text';
import { keepWritesPrivate } from '../core/data-dir';
import { readPackageInfo } from '../package-info';
import { runCli } from './program';

/** Runs the CLI on the process's own arguments and streams. */
export async function main(argv: string[]): Promise<number> {
  keepWritesPrivate();
  // If whoever reads our output goes away (a parent killed mid-deploy), keep working: a deploy
  // half done because a pipe closed is worse than output nobody reads.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  return runCli(
    argv,
    {
      // Names and values come from files and services: nothing they hold may drive the terminal.
      out: (text) => process.stdout.write(terminalSafe(text)),
      err: (text) => process.stderr.write(terminalSafe(text)),
      env: process.env,
    },
    readPackageInfo(),
  );
}
