/**
 * Running git as a child process with an argument array (never a shell), hardened against a
 * poisoned repository config: no `ext::` transport, no prompts, only the protocols we use.
 */
import { spawn } from 'node:child_process';
import { CockpitError } from '../errors';

export interface GitOptions {
  cwd?: string;
  /** Written to git's standard input (e.g. a fast-import stream). */
  input?: string;
  env?: NodeJS.ProcessEnv;
}

/** No `ext::` transport, no hooks, no fsmonitor program: a repository's config cannot run code. */
const hardeningArguments = [
  '-c',
  'protocol.ext.allow=never',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
];

/** Runs `git <args>` and resolves with its standard output; rejects with GIT_FAILED. */
export function runGit(args: string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...hardeningArguments, ...args], {
      cwd: options.cwd,
      env: {
        ...process.env,
        ...options.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_ALLOW_PROTOCOL: 'file:https:ssh',
        GIT_CONFIG_NOSYSTEM: '1',
        LC_ALL: 'C',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) =>
      reject(new CockpitError('GIT_FAILED', `git could not be started (${error.message}): install git and try again.`)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else {
        const message = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-3).join(' ');
        reject(new CockpitError('GIT_FAILED', `git ${args[0]} failed: ${message || `exit code ${code}`}`));
      }
    });
    // git may exit before reading all its input; the exit code then says what went wrong.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
