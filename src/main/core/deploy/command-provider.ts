/**
 * The `command` deploy provider: runs the platform's command (an argument array, never a shell)
 * with {service}, {environment} and {version} filled in, streaming its output as log lines.
 */
import { spawn } from 'node:child_process';
import type { DeployProviderConfig } from '../platform/schema';
import type { DeployProviderClient, LogSink, StepContext, TriggerOutcome } from './provider';

export type { LogSink, StepContext, TriggerOutcome } from './provider';

/** Fills the placeholders of one argument; values are never split or interpreted by a shell. */
export function fillPlaceholders(argument: string, context: StepContext): string {
  return argument
    .replaceAll('{service}', context.service)
    .replaceAll('{environment}', context.environment)
    .replaceAll('{version}', context.version);
}

/** Runs the command; resolves when it exits (or is cancelled / times out). */
export function runCommandProvider(
  config: Extract<DeployProviderConfig, { provider: 'command' }>,
  context: StepContext,
  log: LogSink,
  signal: AbortSignal,
  onStarted?: (pid: number) => void,
): Promise<TriggerOutcome> {
  const [program, ...args] = config.command.map((argument) => fillPlaceholders(argument, context));
  const timeoutMs = (config.timeoutSeconds ?? 600) * 1000;
  return new Promise((resolve) => {
    const child = spawn(program!, args, {
      cwd: config.cwd,
      env: { ...process.env, ...config.env, FORCE_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stop = () => child.kill('SIGTERM');
    const timer = setTimeout(() => {
      log(context.service, `Deploy command timed out after ${timeoutMs / 1000} s; stopping it.\n`);
      stop();
    }, timeoutMs);
    signal.addEventListener('abort', stop, { once: true });
    if (child.pid !== undefined) onStarted?.(child.pid);
    child.stdout.on('data', (chunk: Buffer) => log(context.service, chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => log(context.service, chunk.toString('utf8')));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: `the deploy command could not start: ${error.message}` });
    });
    child.once('close', (code, exitSignal) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      if (code === 0) resolve({ ok: true, detail: 'the deploy command succeeded' });
      else
        resolve({
          ok: false,
          detail: exitSignal
            ? `the deploy command was stopped (${exitSignal})`
            : `the deploy command exited with code ${code}`,
        });
    });
  });
}

/** The command provider as the orchestrator sees it; a finished process cannot be asked, so no reconcile. */
export function commandProvider(config: Extract<DeployProviderConfig, { provider: 'command' }>): DeployProviderClient {
  return {
    deploy: (context, io) =>
      runCommandProvider(
        config,
        context,
        (_service, text) => io.log(text),
        io.signal,
        (pid) => io.onTriggered(String(pid)),
      ),
  };
}
