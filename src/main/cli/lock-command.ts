/**
 * Holds and the team's deploy locks from a terminal:
 *   cockpit lock <environment> [--service s] --reason "…" --platform <file>
 *   cockpit unlock <environment> [--service s] --reason "…" --platform <file>
 *   cockpit locks --platform <file> [--json]
 * A hold stops deploys (never rollbacks) for everyone sharing the ledger until a person with the
 * gate-override role lifts it; the deploy locks are read from the team's mirror now.
 */
import { CockpitError } from '../core/errors';
import { trustedRecords } from '../core/identity/authority';
import { AuditTrail } from '../core/ledger/audit-trail';
import { describeHold, HoldBook } from '../core/policy/holds';
import { currentOsUser } from '../core/policy/roles';
import { teamLocksFor, type DeployLockInfo } from '../core/team/team-lock';
import { exitCodes, loadPlatformForCli, openLedgerForCli, parseOptions, syncForCli, type CliIo } from './cli-io';

const lockUsage = (verb: 'lock' | 'unlock') =>
  verb === 'lock'
    ? `Usage: cockpit lock <environment> [--service <service>] --reason "…" --platform <file>
Holds the environment (or one service in it): deploys stop for everyone until the hold is lifted.
Any person of the roster may place one. Rollbacks are never held.
`
    : `Usage: cockpit unlock <environment> [--service <service>] --reason "…" --platform <file>
Lifts a hold (the gate-override role), saying why.
`;

export const runLock = (args: string[], io: CliIo) => runHold('lock', args, io);
export const runUnlock = (args: string[], io: CliIo) => runHold('unlock', args, io);

async function runHold(verb: 'lock' | 'unlock', args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        service: { type: 'string' },
        reason: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    args,
    io,
  );
  if (options?.values.help) {
    io.out(lockUsage(verb));
    return exitCodes.ok;
  }
  const [environment, ...extra] = options?.positionals ?? [];
  if (!options || !environment || extra.length > 0 || !options.values.platform || !options.values.reason?.trim()) {
    io.err(lockUsage(verb));
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const { ledger, actor, dataDir } = await openLedgerForCli(platform, io);
  await syncForCli(platform, ledger, dataDir, io);
  const book = new HoldBook({
    platform,
    audit: new AuditTrail(ledger, () => undefined),
    identity: { name: actor.name, email: actor.email, osUser: currentOsUser() },
    trusted: async () => trustedRecords(await ledger.readAll(), platform),
  });
  const { service, reason } = options.values;
  try {
    if (verb === 'lock') await book.place(environment, service, reason);
    else await book.lift(environment, service, reason);
    await syncForCli(platform, ledger, dataDir, io);
    io.out(
      `${verb === 'lock' ? 'Held' : 'Lifted the hold on'} ${service ? `${service} in ${environment}` : environment}: ${reason.trim()}\n`,
    );
    return exitCodes.ok;
  } catch (error) {
    io.err(`cockpit ${verb}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof CockpitError && error.code === 'BAD_INPUT' ? exitCodes.usage : exitCodes.failed;
  }
}

const locksUsage = `Usage: cockpit locks --platform <file> [--json]
Who deploys where now (the team's deploy locks, read from the ledger mirror) and every hold.
JSON: { deployLocks: [{ environment, holder: { name, email }, runId, since, leaseUntil }],
        holds: [{ environment, service, holder: { name, email }, reason, since }] }
`;

export async function runLocks(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    { options: { platform: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } },
    args,
    io,
  );
  if (options?.values.help) {
    io.out(locksUsage);
    return exitCodes.ok;
  }
  if (!options || options.positionals.length > 0 || !options.values.platform) {
    io.err(locksUsage);
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const { ledger, dataDir } = await openLedgerForCli(platform, io);
  await syncForCli(platform, ledger, dataDir, io);
  const holds = new HoldBook({
    platform,
    audit: new AuditTrail(ledger, () => undefined),
    identity: { name: '' },
    trusted: async () => trustedRecords(await ledger.readAll(), platform),
  });
  let deployLocks: DeployLockInfo[] = [];
  let lockProblem: string | undefined;
  try {
    deployLocks = (await teamLocksFor(platform, dataDir)?.list()) ?? [];
  } catch (error) {
    lockProblem = (error as Error).message;
  }
  const held = await holds.list();
  if (options.values.json) {
    io.out(
      `${JSON.stringify(
        {
          deployLocks: deployLocks.map(({ environment, holder, runId, since, leaseUntil }) => ({
            environment,
            holder: { name: holder.name, email: holder.email ?? null },
            runId,
            since,
            leaseUntil,
          })),
          holds: held.map((hold) => ({
            environment: hold.environment,
            service: hold.service ?? null,
            holder: { name: hold.holder.name, email: hold.holder.email ?? null },
            reason: hold.reason,
            since: hold.since,
            ...(hold.rollbackId ? { rollbackId: hold.rollbackId } : {}),
          })),
          ...(lockProblem ? { problem: lockProblem } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    if (!platform.ledger.mirror)
      io.out('Deploy locks: this laptop only (no team mirror, ledger.mirror, is configured).\n');
    else if (lockProblem) io.err(`Deploy locks: unknown — ${lockProblem}\n`);
    else if (deployLocks.length === 0) io.out('Deploy locks: none — nobody deploys now.\n');
    for (const lock of deployLocks)
      io.out(
        `Deploying ${lock.environment}: ${lock.holder.name} (run ${lock.runId}, since ${lock.since}, lease until ${lock.leaseUntil})\n`,
      );
    if (held.length === 0) io.out('Holds: none.\n');
    for (const hold of held) io.out(`Hold: ${describeHold(hold)}\n`);
  }
  return lockProblem ? exitCodes.failed : exitCodes.ok;
}
