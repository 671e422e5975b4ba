/**
 * Entry of the `cockpit` bin.
 */
import { readPackageInfo } from '../package-info';
import { runCli } from './program';

/** Runs the CLI on the process's own arguments and streams. */
export async function main(argv: string[]): Promise<number> {
  // If whoever reads our output goes away (a parent killed mid-deploy), keep working: a deploy
  // half done because a pipe closed is worse than output nobody reads.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  return runCli(
    argv,
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
      env: process.env,
    },
    readPackageInfo(),
  );
}
