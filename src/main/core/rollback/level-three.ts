/**
 * Level 3 — restore the database (target under an hour): choose a backup, stop the services that
 * use the data (the data's owners and everything depending on them, the reverse of their
 * dependency order), run the platform's restore command, start them again in dependency order,
 * run the platform's integrity checks, verify health. If the walk stops after the services were
 * stopped, they are started again before anything else is said.
 */
import { formatSize } from '../../../shared/format-size';
import { CockpitError } from '../errors';
import type { ProviderFactory } from '../deploy/provider';
import type { HealthProber } from '../health/prober';
import { dependencyOrder } from '../platform/dependency-order';
import type { Platform } from '../platform/schema';
import { runCommand } from '../process/run-command';
import { listBackups, type Backup } from './backups';
import { waitForHealth } from './health-wait';
import type { RollbackStep, StepOutcome } from './step-machine';

export const levelThreeTargetMinutes = 60;

export interface LevelThreeContext {
  platform: Platform;
  /** The service the incident is about: the data restored is what it depends on. */
  service: string;
  environment: string;
  prober: HealthProber;
  providers: ProviderFactory;
  /** The backup to restore (its id in the backup folder). */
  backupId: string;
  backup?: Backup;
  /** The services stopped so far and the version each ran, in the order they were stopped. */
  stopped: { service: string; version?: string }[];
  /** How long a service may take to go down or come up. */
  healthTimeoutMs?: number;
  restoreTimeoutMs?: number;
}

export interface RestoreScope {
  /** The services that declare the database in this environment. */
  dataOwners: string[];
  /** The owners and every service depending on them, in dependency order. */
  affected: string[];
}

/**
 * Pure: which services a restore for `service` touches — the database owners among the service
 * and what it depends on (transitively), plus everything that depends on those owners.
 */
export function restoreScope(platform: Platform, service: string, environment: string): RestoreScope {
  const inEnvironment = platform.services.filter((candidate) => candidate.environments[environment]);
  const byId = new Map(inEnvironment.map((candidate) => [candidate.id, candidate]));
  const closure = (start: string[], next: (id: string) => string[]) => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id) || !byId.has(id)) continue;
      seen.add(id);
      queue.push(...next(id));
    }
    return seen;
  };
  const upstream = closure([service], (id) => byId.get(id)?.dependsOn ?? []);
  const dataOwners = [...upstream].filter((id) => byId.get(id)?.environments[environment]?.database);
  const dependents = closure(dataOwners, (id) =>
    inEnvironment.filter((candidate) => candidate.dependsOn.includes(id)).map((candidate) => candidate.id),
  );
  return {
    dataOwners: dependencyOrder(inEnvironment.filter((candidate) => dataOwners.includes(candidate.id))).map(
      (candidate) => candidate.id,
    ),
    affected: dependencyOrder(inEnvironment.filter((candidate) => dependents.has(candidate.id))).map(
      (candidate) => candidate.id,
    ),
  };
}

/** The scope, or a typed error that says what to declare. */
export function requireRestoreScope(platform: Platform, service: string, environment: string): RestoreScope {
  const scope = restoreScope(platform, service, environment);
  if (scope.dataOwners.length === 0)
    throw new CockpitError(
      'NOT_CONFIGURED',
      `Neither ${service} nor what it depends on declares a database in ${environment}: add "database:" to the service that owns the data in the platform file.`,
    );
  if (!platform.rollback.restoreCommand)
    throw new CockpitError(
      'NOT_CONFIGURED',
      `${platform.name} has no restore command: add rollback.restoreCommand (an argument array with {backup}) to the platform file.`,
    );
  return scope;
}

export function levelThreeSteps(platform: Platform, scope: RestoreScope): RollbackStep<LevelThreeContext>[] {
  const checkNames = platform.rollback.integrityChecks.map((check) => check.name);
  const healthWait = (context: LevelThreeContext, service: string) => ({
    platform: context.platform,
    environment: context.environment,
    prober: context.prober,
    service,
    timeoutMs: context.healthTimeoutMs ?? 60_000,
  });
  const providerOf = (context: LevelThreeContext, service: string) =>
    context.providers(
      context.platform.services.find((candidate) => candidate.id === service)!.environments[context.environment]!
        .deploy,
    );

  /** Starts the stopped services in dependency order, each healthy before the next. */
  const startStopped = async (context: LevelThreeContext, log: (text: string) => void): Promise<StepOutcome> => {
    const order = scope.affected.filter((service) => context.stopped.some((entry) => entry.service === service));
    for (const service of order) {
      const entry = context.stopped.find((candidate) => candidate.service === service)!;
      const provider = providerOf(context, service);
      if (!provider.start)
        return { ok: false, detail: `${service}'s deploy provider cannot start it: start ${service} by hand` };
      log(`Starting ${service}\n`);
      const started = await provider.start(
        { service, environment: context.environment, version: entry.version },
        { log, signal: AbortSignal.timeout(context.healthTimeoutMs ?? 60_000) },
      );
      if (!started.ok) return { ok: false, detail: `${service}: ${started.detail}` };
      const health = await waitForHealth(healthWait(context, service), (result) => result?.status === 'up');
      if (!health.isReached)
        return {
          ok: false,
          detail: `${service} did not become healthy (${health.last?.error ?? health.last?.status ?? 'no answer'})`,
        };
      context.stopped = context.stopped.filter((candidate) => candidate.service !== service);
      log(`${service} is up on v${health.last?.version ?? '?'}\n`);
    }
    return { ok: true, detail: `started ${order.join(', ') || 'nothing (none was stopped)'} in dependency order` };
  };

  const fill = (argument: string, context: LevelThreeContext) =>
    argument.replaceAll('{backup}', context.backup!.path).replaceAll('{environment}', context.environment);

  return [
    {
      id: 'backup',
      title: 'Choose the backup',
      touches: 'Reads the backup folder; changes nothing.',
      needsNetwork: false,
      changesSomething: false,
      async run(context) {
        const backups = await listBackups(context.platform, context.environment);
        context.backup = backups.find((backup) => backup.id === context.backupId);
        if (!context.backup)
          return {
            ok: false,
            detail: `No backup "${context.backupId}" in ${context.environment}; the backups are: ${backups.map((backup) => backup.id).join(', ') || 'none'}.`,
          };
        return {
          ok: true,
          detail: `${context.backup.id}, taken ${context.backup.takenAt} (${formatSize(context.backup.sizeBytes)})`,
        };
      },
    },
    {
      id: 'stop',
      title: 'Stop the services that use the data',
      touches: `Stops ${[...scope.affected].reverse().join(', ')}, in that order: users lose these services until they are started again.`,
      needsNetwork: true,
      changesSomething: true,
      async run(context, log) {
        for (const service of [...scope.affected].reverse()) {
          if (context.stopped.some((entry) => entry.service === service)) continue;
          const provider = providerOf(context, service);
          if (!provider.stop)
            return {
              ok: false,
              detail: `${service}'s deploy provider cannot stop it: add a stopCommand (or use Coolify), or stop ${service} by hand and retry`,
            };
          const before = await waitForHealth({ ...healthWait(context, service), timeoutMs: 0 }, () => true);
          log(`Stopping ${service}\n`);
          const stopped = await provider.stop(
            { service, environment: context.environment, version: before.last?.version },
            { log, signal: AbortSignal.timeout(context.healthTimeoutMs ?? 60_000) },
          );
          if (!stopped.ok) return { ok: false, detail: `${service}: ${stopped.detail}` };
          context.stopped.push({ service, version: before.last?.version });
          const down = await waitForHealth(healthWait(context, service), (result) => result?.status !== 'up');
          if (!down.isReached) return { ok: false, detail: `${service} still answers its health check after the stop` };
        }
        return { ok: true, detail: `stopped ${[...scope.affected].reverse().join(', ')}` };
      },
      undo: startStopped,
      byHand: () => `Nothing was stopped yet: ${scope.affected.join(', ')} still run on the damaged data.`,
    },
    {
      id: 'restore',
      title: 'Restore the database from the backup',
      touches: `Runs the platform's restore command: it replaces the data of ${scope.dataOwners.join(', ')} with the backup's.`,
      needsNetwork: true,
      changesSomething: true,
      async run(context, log) {
        const command = context.platform.rollback.restoreCommand!.map((argument) => fill(argument, context));
        log(`Running the restore command (${command[0]}) for ${context.backup!.id}\n`);
        return runCommand(command, {
          timeoutMs: context.restoreTimeoutMs ?? 3_600_000,
          log,
          label: 'the restore command',
        });
      },
      byHand: (context) =>
        `Restore ${context.backup?.id ?? 'the backup'} by hand with the platform's restore command, then start ${scope.affected.join(', ')}.`,
    },
    {
      id: 'restart',
      title: 'Start the services again in dependency order',
      touches: `Starts ${scope.affected.join(', ')}, each healthy before the next.`,
      needsNetwork: true,
      changesSomething: true,
      run: startStopped,
    },
    {
      id: 'integrity',
      title: 'Check the data’s integrity',
      touches: checkNames.length
        ? `Runs the integrity checks (${checkNames.join('; ')}); changes nothing.`
        : 'The platform declares no integrity checks: the data must be checked by hand.',
      needsNetwork: true,
      changesSomething: false,
      async run(context, log) {
        const checks = context.platform.rollback.integrityChecks;
        if (checks.length === 0)
          return { ok: true, detail: 'The platform declares no integrity checks: check the data by hand.' };
        const failed: string[] = [];
        for (const check of checks) {
          log(`Integrity check: ${check.name}\n`);
          const result = await runCommand(
            check.command.map((argument) => argument.replaceAll('{environment}', context.environment)),
            { timeoutMs: 600_000, log, label: `the check "${check.name}"` },
          );
          if (!result.ok) failed.push(`${check.name} (${result.detail})`);
        }
        return failed.length === 0
          ? { ok: true, detail: `${checks.length} check${checks.length === 1 ? '' : 's'} passed` }
          : { ok: false, detail: `failed: ${failed.join('; ')}` };
      },
    },
    {
      id: 'verify',
      title: 'Verify health',
      touches: `Reads the health of ${scope.affected.join(', ')}; changes nothing.`,
      needsNetwork: true,
      changesSomething: false,
      async run(context) {
        const down: string[] = [];
        for (const service of scope.affected) {
          const health = await waitForHealth({ ...healthWait(context, service), timeoutMs: 0 }, () => true);
          if (health.last?.status !== 'up') down.push(`${service} is ${health.last?.status ?? 'not probed'}`);
        }
        return down.length === 0
          ? { ok: true, detail: `${scope.affected.join(', ')} are healthy on the restored data` }
          : { ok: false, detail: down.join('; ') };
      },
    },
  ];
}
