/**
 * The `command` deploy provider: runs the platform's command (an argument array, never a shell)
 * with {service}, {environment} and {version} filled in, streaming its output as log lines. Its
 * optional stop and start commands let a level 3 rollback take services down and bring them back.
 */
import type { DeployProviderConfig } from '../platform/schema';
import { runCommand } from '../process/run-command';
import type { DeployProviderClient, LifecycleContext, ProviderIo, StepContext, TriggerOutcome } from './provider';

export type { LogSink, StepContext, TriggerOutcome } from './provider';

type CommandConfig = Extract<DeployProviderConfig, { provider: 'command' }>;

/** Fills the placeholders of one argument; values are never split or interpreted by a shell. */
export function fillPlaceholders(argument: string, context: LifecycleContext): string {
  return argument
    .replaceAll('{service}', context.service)
    .replaceAll('{environment}', context.environment)
    .replaceAll('{version}', context.version ?? '');
}

/** The command provider as the orchestrator sees it; a finished process cannot be asked, so no reconcile. */
export function commandProvider(config: CommandConfig): DeployProviderClient {
  const run = (
    command: string[],
    context: LifecycleContext,
    io: ProviderIo,
    label: string,
    onStarted?: (pid: number) => void,
  ) =>
    runCommand(
      command.map((argument) => fillPlaceholders(argument, context)),
      {
        cwd: config.cwd,
        env: config.env,
        timeoutMs: (config.timeoutSeconds ?? 600) * 1000,
        log: io.log,
        signal: io.signal,
        label,
        onStarted,
      },
    );
  const lifecycle = (command: string[] | undefined, label: string) =>
    command ? (context: LifecycleContext, io: ProviderIo) => run(command, context, io, label) : undefined;
  return {
    deploy: (context: StepContext, io): Promise<TriggerOutcome> =>
      run(config.command, context, io, 'the deploy command', (pid) => io.onTriggered(String(pid))),
    stop: lifecycle(config.stopCommand, 'the stop command'),
    start: lifecycle(config.startCommand, 'the start command'),
  };
}
