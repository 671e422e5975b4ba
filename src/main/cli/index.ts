/**
 * Entry of the `cockpit` bin.
 */
import { readPackageInfo } from '../package-info';
import { runCli } from './program';

/** Runs the CLI on the process's own arguments and streams. */
export async function main(argv: string[]): Promise<number> {
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
