/**
 * The `command` deploy provider: runs the platform's command (an argument array, never a shell)
 * with {service}, {environment} and {version} filled in, streaming its output as log lines. Its
 * optional stop and start commands let a level 3 rollback take services down and bring them back.
 *
 * A deploy's child runs in a process group of its own with the step's token in its environment,
 * and its pid is journaled the moment it exists: after a crash of the cockpit, a resume finds the
 * child (by pid, or by token when the crash came before the pid was written), waits for it to end
 * and checks health — it never starts the command a second time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeployProviderConfig } from '../platform/schema';
import { deployTokenVariable, isAlive, processesWithToken } from '../process/process-finder';
import { runCommand } from '../process/run-command';
import type {
  DeployProviderClient,
  LifecycleContext,
  ProviderIo,
  Reconciliation,
  StepContext,
  TriggerOutcome,
} from './provider';
import { requireVersion } from './versions';

export type { LogSink, StepContext, TriggerOutcome } from './provider';

type CommandConfig = Extract<DeployProviderConfig, { provider: 'command' }>;

/**
 * Fills the placeholders of one argument; values are never split or interpreted by a shell, and
 * a version that is not SemVer never fills `{version}` (BAD_INPUT).
 */
export function fillPlaceholders(argument: string, context: LifecycleContext): string {
  const version = argument.includes('{version}')
    ? requireVersion(context.version ?? '', `The version of ${context.service} in ${context.environment}`)
    : '';
  return argument
    .replaceAll('{service}', context.service)
    .replaceAll('{environment}', context.environment)
    .replaceAll('{version}', version);
}

/** How often a resumed step checks whether the child found again has ended. */
const childPollMs = 250;

/** The command provider as the orchestrator sees it. */
export function commandProvider(config: CommandConfig): DeployProviderClient {
  const run = (
    command: string[],
    context: LifecycleContext,
    io: ProviderIo,
    label: string,
    extra: { env?: Record<string, string>; onStarted?: (pid: number) => void; isDetached?: boolean } = {},
  ) => {
    let filled: string[];
    try {
      filled = command.map((argument) => fillPlaceholders(argument, context));
    } catch (error) {
      return Promise.resolve({ ok: false, detail: `${label} was not started: ${(error as Error).message}` });
    }
    const how = {
      cwd: config.cwd,
      env: { ...config.env, ...extra.env },
      timeoutMs: (config.timeoutSeconds ?? 600) * 1000,
      signal: io.signal,
      label,
      onStarted: extra.onStarted,
      isDetached: extra.isDetached,
    };
    // Read where the run's log is kept when the run offers it (the log thread), else here.
    return io.runLogged
      ? io.runLogged(filled, how)
      : runCommand(filled, { ...how, log: io.log, ...(io.backpressure ? { backpressure: io.backpressure } : {}) });
  };
  const lifecycle = (command: string[] | undefined, label: string) =>
    command ? (context: LifecycleContext, io: ProviderIo) => run(command, context, io, label) : undefined;
  return {
    deploy: (context: StepContext, io): Promise<TriggerOutcome> =>
      run(config.command, context, io, 'the deploy command', {
        env: context.token ? { [deployTokenVariable]: context.token } : {},
        onStarted: (pid) => io.onTriggered(String(pid), pid),
        isDetached: true,
      }),
    async reconcile(context, io, known): Promise<Reconciliation> {
      const pids = known.pid !== undefined ? [known.pid] : known.token ? await processesWithToken(known.token) : [];
      if (pids === undefined) {
        // This system cannot tell whether the child still runs: never start it again.
        return {
          status: 'found',
          ref: 'unknown',
          outcome: { ok: true, detail: 'the deploy command may have run before the interruption' },
        };
      }
      const live = pids.filter(isAlive);
      if (live.length === 0) {
        return known.pid !== undefined
          ? { status: 'found', ref: String(known.pid), outcome: { ok: true, detail: 'the deploy command had ended' } }
          : { status: 'none' };
      }
      io.log(
        `Resuming: the deploy command started before the interruption still runs (pid ${live.join(', ')}); waiting for it.\n`,
      );
      while (live.some(isAlive) && !io.signal.aborted) await sleep(childPollMs);
      return {
        status: 'found',
        ref: String(live[0]),
        outcome: { ok: true, detail: 'the deploy command started before the interruption has ended' },
      };
    },
    stop: lifecycle(config.stopCommand, 'the stop command'),
    start: lifecycle(config.startCommand, 'the start command'),
  };
}
