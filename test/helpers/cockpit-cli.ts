/**
 * Runs the real `cockpit` command in a child process, as a user would, and returns its exit code
 * and output instead of throwing on a non-zero exit.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repoRoot, 'bin', 'cockpit.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCockpit(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return run(process.execPath, [bin, ...args], { cwd: repoRoot, env, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CliResult) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
