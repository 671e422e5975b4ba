/**
 * Runs a command given as an argument array (never through a shell), streaming its output as it
 * comes and resolving with how it ended. Shared by the command deploy provider and the rollback
 * steps that run the platform's commands (restore, integrity checks, stop and start).
 */
import { spawn } from 'node:child_process';
import { faultPoint } from '../fault-points';
import type { Backpressure } from '../logs/backpressure';

export interface RunCommandOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  /** Output as it arrives, stdout and stderr alike. */
  log: (text: string) => void;
  /** While the log's consumer is behind, the child's output is not read (it waits on its writes). */
  backpressure?: Backpressure;
  signal?: AbortSignal;
  /** What the command is, for messages ("the restore command"). */
  label: string;
  /** Called in the same turn the child started, before any output is read. */
  onStarted?: (pid: number) => void;
  /**
   * The child in a process group of its own: it outlives a crash of the cockpit (to be found again
   * and awaited, never started twice), and a cancel stops the whole group.
   */
  isDetached?: boolean;
}

/** A command whose output goes to a run's log: everything but where its output goes. */
export type LoggedCommandOptions = Omit<RunCommandOptions, 'log' | 'backpressure'>;

export interface CommandResult {
  ok: boolean;
  detail: string;
}

export function runCommand(command: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const [program, ...args] = command;
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ ok: false, detail: `${options.label} was not started: cancelled` });
      return;
    }
    const isGroup = options.isDetached === true && process.platform !== 'win32';
    const child = spawn(program!, args, {
      cwd: options.cwd,
      env: {
        ...process.env,
        ...options.env,
        FORCE_COLOR: '1',
        // The app's own binary (the demo's deploy commands, the bundled CLI) runs as Node in Electron.
        ...(process.versions.electron && program === process.execPath ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: isGroup,
    });
    const stop = () => {
      try {
        if (isGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      options.log(`${capitalized(options.label)} timed out after ${options.timeoutMs / 1000} s; stopping it.\n`);
      stop();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', stop, { once: true });
    faultPoint('after-spawn');
    if (child.pid !== undefined) options.onStarted?.(child.pid);
    // One decoder per stream: a character split across two reads is never cut in half (a
    // TextDecoder: a few times faster than StringDecoder on a flood; a leading BOM is kept).
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      stream.on('data', (chunk: Buffer) => {
        const text = decoder.decode(chunk, { stream: true });
        if (text) options.log(text);
        const backpressure = options.backpressure;
        if (backpressure?.isCongested()) {
          stream.pause();
          void backpressure.whenFlowing().then(() => stream.resume());
        }
      });
      stream.once('end', () => {
        const rest = decoder.decode();
        if (rest) options.log(rest);
      });
    }
    child.once('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({ ok: false, detail: `${options.label} could not start: ${error.message}` });
    });
    child.once('close', (code, exitSignal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      if (code === 0) resolve({ ok: true, detail: `${options.label} succeeded` });
      else
        resolve({
          ok: false,
          detail: exitSignal
            ? `${options.label} was stopped (${exitSignal})`
            : `${options.label} exited with code ${code}`,
        });
    });
  });
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
