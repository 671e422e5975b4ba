/**
 * `cockpit rollback <service> --env <env> --level <1|2|3> --platform <file> [--to <version>]
 * [--commit <sha>]… [--backup <id>] [--confirm <environment>] [--reason "…"] [--yes]`: walks the same step
 * machine as the wizard, printing each step, what it touches, its output and its check against
 * the level's target time. Without --yes it asks before each step that changes something, and for
 * any choice not given (the commits to revert, the backup, the typed confirmation).
 */
import { formatDuration } from '../../shared/time-format';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { openVault } from '../core/credentials/open-vault';
import { createProviderFactory } from '../core/deploy/provider-factory';
import { CockpitError } from '../core/errors';
import { HealthProber } from '../core/health/prober';
import { resolveActor } from '../core/ledger/actor';
import { AuditTrail } from '../core/ledger/audit-trail';
import type { Ledger } from '../core/ledger/ledger';
import { Redactor } from '../core/logs/redactor';
import type { Platform } from '../core/platform/schema';
import { currentOsUser } from '../core/policy/roles';
import { listBackups } from '../core/rollback/backups';
import { revertCandidates, revertRange, revertTarget } from '../core/rollback/level-two';
import {
  prepareRollback,
  recordLevelThreeStart,
  rollbackRunId,
  type RollbackRequest,
} from '../core/rollback/rollback-plan';
import { walk } from '../core/rollback/step-machine';
import { ciStatusForCli } from './cli-gates';
import {
  exitCodes,
  loadPlatformForCli,
  managedReposForCli,
  openLedgerForCli,
  parseOptions,
  type CliIo,
} from './cli-io';

const usage = `Usage: cockpit rollback <service> --env <environment> --level <1|2|3> --platform <file>
         [--to <version>] [--commit <sha>]… [--backup <id>] [--confirm <environment>] [--reason "…"] [--yes]
Level 1 redeploys the previous stable version (from the ledger, or --to).
Level 2 reverts the --commit(s), cuts a patch release, pushes, deploys it and verifies it.
Level 3 restores the database from --backup, with dependents stopped and restarted in order;
        it needs --confirm <environment name> and the rollback-level-3 role.
A rollback needs no --confirm otherwise, even in production: each step that changes something asks.
--reason says what went wrong (default: "level N rollback by <you> at <time>"); after levels 1 and 2
the version rolled back from is marked bad with it, so no plan proposes it again.
Without --yes it asks before each step that changes something, and for any choice not given.
`;

export async function runRollback(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    {
      options: {
        env: { type: 'string' },
        level: { type: 'string' },
        platform: { type: 'string' },
        to: { type: 'string' },
        commit: { type: 'string', multiple: true },
        backup: { type: 'string' },
        confirm: { type: 'string' },
        reason: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
      },
    },
    args,
    io,
  );
  const [service, ...extra] = options?.positionals ?? [];
  if (!options || !service || extra.length > 0 || !options.values.platform || !options.values.env) {
    io.err(usage);
    return exitCodes.usage;
  }
  const level = Number(options.values.level);
  if (level !== 1 && level !== 2 && level !== 3) {
    io.err(`cockpit rollback: --level must be 1, 2 or 3 (got ${options.values.level ?? 'none'}).\n${usage}`);
    return exitCodes.usage;
  }
  if (options.values.to !== undefined && !/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(options.values.to)) {
    io.err(`cockpit rollback: --to "${options.values.to}" is not a version such as 2.0.1.\n`);
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const environment = options.values.env;
  if (!platform.services.find((candidate) => candidate.id === service)?.environments[environment]) {
    io.err(`cockpit rollback: ${platform.name} has no service "${service}" in an environment "${environment}".\n`);
    return exitCodes.usage;
  }
  const isUnattended = options.values.yes === true;
  const actor = await resolveActor();
  const { dataDir, ledger } = await openLedgerForCli(platform, io, actor);
  const audit = new AuditTrail(ledger, () => undefined);
  const prober = new HealthProber({ timeoutMs: 2_000 });
  const redactor = new Redactor();
  try {
    const vault = await openVault({ platform, dataDir, redactor });
    // A level 2 reverts commits: the service's managed clone is made or fetched first.
    const managed = managedReposForCli(platform, io);
    if (level === 2 && managed.isManaged(service)) await managed.folderOf(service);
    const records = await ledger.readAll();
    const request: RollbackRequest = {
      level,
      service,
      environment,
      to: options.values.to,
      commits: options.values.commit,
      backup: options.values.backup,
      confirmation: options.values.confirm,
    };
    const missing = await askForMissingChoices(request, { platform, prober, records }, io, isUnattended);
    if (missing) {
      io.err(`cockpit rollback: ${missing}\n`);
      return exitCodes.usage;
    }
    const runId = rollbackRunId(new Date(), randomUUID());
    const prepared = prepareRollback(request, {
      platform,
      prober,
      records,
      dataDir,
      audit,
      providers: createProviderFactory({ readCredential: (id) => vault.read(id) }),
      runId,
      identity: { name: actor.name, email: actor.email, osUser: currentOsUser() },
      ciStatus: ciStatusForCli(platform, dataDir, vault),
    });
    await recordLevelThreeStart(audit, request, runId);
    const began = Date.now();
    const announced = new Set<string>();
    const reported = new Set<string>();
    const print = (text: string) => io.out(redactor.redact(text));
    print(`Level ${level} rollback of ${service} in ${environment} (target: under ${prepared.targetMinutes} min).\n`);
    const result = await walk({
      level,
      service,
      environment,
      steps: prepared.steps,
      context: prepared.context,
      audit,
      correlationId: runId,
      cleanup: prepared.cleanup,
      rolledBackFrom: prepared.rolledBackFrom,
      holdAfter: platform.policy.holdAfterRollback,
      reason:
        options.values.reason?.trim() || `level ${level} rollback by ${actor.name} at ${new Date().toISOString()}`,
      log: (text) => {
        for (const line of text.split('\n')) if (line) print(`    ${line}\n`);
      },
      onProgress: (progress) => {
        for (const step of progress) {
          if (step.state === 'running' && !announced.has(step.id)) {
            announced.add(step.id);
            print(`→ ${step.title}: ${step.touches}${step.needsNetwork ? ' (needs the network)' : ''}\n`);
          }
          if ((step.state === 'succeeded' || step.state === 'failed') && !reported.has(step.id)) {
            reported.add(step.id);
            const seconds = Math.round((step.elapsedMs ?? 0) / 1000);
            print(`  ${step.state === 'succeeded' ? '✓' : '✗'} ${step.detail} (${seconds} s)\n`);
          }
        }
      },
      // The command is the confirmation with --yes; otherwise ask before changing anything.
      confirm: async (step) => isUnattended || (await ask(`${step.title} — ${step.touches} Go ahead?`)),
      shouldRetry: async (step) => !isUnattended && (await ask(`${step.title} failed. Retry it?`)),
    });
    const took = formatDuration(Date.now() - began);
    if (result.status === 'succeeded') {
      print(`Level ${level} rollback of ${service} in ${environment} succeeded in ${took}.\n`);
      return exitCodes.ok;
    }
    print(`Rollback ${result.status} after ${took}. Left to do:\n`);
    for (const item of result.leftToDo) print(`  - ${item}\n`);
    return exitCodes.failed;
  } catch (error) {
    if (!(error instanceof CockpitError)) throw error;
    io.err(`cockpit rollback: ${redactor.redact(error.message)}\n`);
    return error.code === 'BAD_INPUT' || error.code === 'CONFIRMATION_REQUIRED' ? exitCodes.usage : exitCodes.failed;
  } finally {
    await prober.close();
  }
}

/**
 * Fills the request's missing choices by asking, after showing what there is to choose from;
 * unattended (--yes), says what is missing instead.
 */
async function askForMissingChoices(
  request: RollbackRequest,
  sources: { platform: Platform; prober: HealthProber; records: Awaited<ReturnType<Ledger['readAll']>> },
  io: CliIo,
  isUnattended: boolean,
): Promise<string | undefined> {
  const { platform } = sources;
  if (request.level === 2 && (request.commits?.length ?? 0) === 0) {
    const range = await revertRange({ ...sources, service: request.service, environment: request.environment });
    if (range.running && range.goodVersion) {
      const candidates = await revertCandidates(
        revertTarget(platform, request.service, request.environment).path,
        range.goodVersion,
        range.running,
      );
      io.out(`Commits of v${range.goodVersion}..v${range.running}:\n`);
      for (const commit of candidates) io.out(`  ${commit.hash.slice(0, 10)}  ${commit.subject}  (${commit.author})\n`);
    }
    if (isUnattended) return 'level 2 needs --commit <sha> (one per commit to revert).';
    request.commits = (await prompt('Commits to revert (hashes, separated by spaces): ')).split(/\s+/).filter(Boolean);
  }
  if (request.level === 3) {
    if (!request.backup) {
      const backups = await listBackups(platform, request.environment);
      io.out(`Backups of ${request.environment}:\n`);
      for (const backup of backups) io.out(`  ${backup.id}  taken ${backup.takenAt}  ${backup.sizeBytes} bytes\n`);
      if (isUnattended) return 'level 3 needs --backup <id>.';
      request.backup = (await prompt('Backup to restore: ')).trim();
    }
    if (request.confirmation === undefined) {
      if (isUnattended) return `level 3 needs --confirm ${request.environment} (the environment's name, typed).`;
      request.confirmation = (
        await prompt(`This replaces the data of ${request.environment}. Type its name to confirm: `)
      ).trim();
    }
  }
  return undefined;
}

async function ask(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await prompt(`${question} [y/N] `)).trim());
}

async function prompt(question: string): Promise<string> {
  const reader = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await reader.question(question);
  } finally {
    reader.close();
  }
}
