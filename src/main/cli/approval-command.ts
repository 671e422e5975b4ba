/**
 * Identity and four eyes from a terminal:
 *   cockpit identity --platform <file> [--json]
 *   cockpit exception request <env> --category security|data-corruption --services a,b
 *     [--versions a=1.2.4] --reason "…" [--hours N] --platform <file> [--json]
 *   cockpit override request <env> --gates g1,g2 --reason "…" --platform <file> [--json]
 *   cockpit approve <id> [--reason "…"] --platform <file> [--json]
 *   cockpit reject <id> --reason "…" --platform <file> [--json]
 *   cockpit approvals --platform <file> [--json]
 *   cockpit signoff <item> [--note "…"] | --list [--json] | --revoke <item> --reason "…" --platform <file>
 * Every record these write is signed with the person's SSH key once the roster lists keys.
 */
import { CockpitError } from '../core/errors';
import { identityReport } from '../core/identity/identity';
import { AuditTrail } from '../core/ledger/audit-trail';
import type { Platform } from '../core/platform/schema';
import type { Approval } from '../core/policy/approvals';
import { hotfixCategories, type HotfixCategory } from '../core/policy/deploy-permission';
import { currentOsUser, PolicyService } from '../core/policy/policy-service';
import { checklistItems, SignoffBook } from '../core/policy/signoffs';
import { servicesInScope } from '../../shared/approval-text';
import {
  exitCodes,
  loadPlatformForCli,
  openLedgerForCli,
  parseOptions,
  parseServiceVersions,
  syncForCli,
  type CliIo,
} from './cli-io';

type Values = Record<string, string | boolean | undefined>;

/** Parses, prints --help, loads the platform; undefined means the exit code was decided. */
async function prepare(
  args: string[],
  io: CliIo,
  usage: string,
  extra: Record<string, { type: 'string' | 'boolean' }>,
): Promise<{ values: Values; positionals: string[]; platform: Platform } | number> {
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...extra,
      },
    },
    args,
    io,
  );
  if (options?.values.help) {
    io.out(usage);
    return exitCodes.ok;
  }
  if (!options || typeof options.values.platform !== 'string') {
    io.err(usage);
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  return { values: options.values as Values, positionals: options.positionals, platform };
}

async function policyFor(platform: Platform, io: CliIo) {
  const { ledger, actor, settingsKey, dataDir } = await openLedgerForCli(platform, io);
  // The team's requests, decisions and sign-offs first.
  await syncForCli(platform, ledger, dataDir, io);
  const audit = new AuditTrail(ledger, () => undefined);
  const identity = { name: actor.name, email: actor.email, osUser: currentOsUser() };
  const clock = () => new Date();
  const signoffs = new SignoffBook({ platform, audit, identity, clock });
  return {
    policy: new PolicyService({ platform, audit, identity, clock, signoffs }),
    signoffs,
    actor,
    settingsKey,
    /** Shares what the command recorded. */
    share: () => syncForCli(platform, ledger, dataDir, io),
  };
}

function failed(io: CliIo, command: string, error: unknown): number {
  io.err(`cockpit ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
  return error instanceof CockpitError && error.code === 'BAD_INPUT' ? exitCodes.usage : exitCodes.failed;
}

const identityUsage = `Usage: cockpit identity --platform <file> [--json]
Who you are in the platform's roster: your name, e-mail and roles, the SSH key you sign with
(Settings, else git's user.signingkey with gpg.format=ssh) and whether it is your roster key.
JSON: { name, email, roles, key: { source, fingerprint }, verified, problem? }. Exit 1 when not verified.
`;

export async function runIdentity(args: string[], io: CliIo): Promise<number> {
  const prepared = await prepare(args, io, identityUsage, {});
  if (typeof prepared === 'number') return prepared;
  const { values, positionals, platform } = prepared;
  if (positionals.length > 0) return usageError(io, identityUsage);
  const { actor, settingsKey } = await openLedgerForCli(platform, io);
  const report = await identityReport(platform, actor, settingsKey);
  if (values.json) {
    const { isSigningOn: _isSigningOn, ...shape } = report;
    io.out(`${JSON.stringify(shape, null, 2)}\n`);
  } else {
    io.out(
      [
        `${report.name}${report.email ? ` <${report.email}>` : ''}: ${report.roles.length > 0 ? report.roles.join(', ') : 'no roles'}`,
        `Signing key: ${report.key.fingerprint ?? 'none'} (${report.key.source === 'none' ? 'not configured' : `from ${report.key.source}`})`,
        report.verified ? 'Verified: the key is yours in the roster.' : `Not verified: ${report.problem ?? ''}`,
        '',
      ].join('\n'),
    );
  }
  return report.verified ? exitCodes.ok : exitCodes.failed;
}

const exceptionUsage = `Usage: cockpit exception request <environment> --category security|data-corruption --services a,b
         [--versions a=1.2.4,b=2.0.1] --reason "…" [--hours N] --platform <file> [--json]
Asks for a hotfix exception: once another person with the hotfix-exception role approves it
(cockpit approve <id>), the environment opens outside its windows for those services (and
versions) only, for N hours (at most the platform's hotfix hours). Prints the request's id.
`;

export async function runException(args: string[], io: CliIo): Promise<number> {
  const prepared = await prepare(args, io, exceptionUsage, {
    category: { type: 'string' },
    services: { type: 'string' },
    versions: { type: 'string' },
    reason: { type: 'string' },
    hours: { type: 'string' },
  });
  if (typeof prepared === 'number') return prepared;
  const { values, positionals, platform } = prepared;
  const [verb, environment, ...extra] = positionals;
  if (verb !== 'request' || !environment || extra.length > 0) return usageError(io, exceptionUsage);
  const category = values.category as HotfixCategory;
  if (!hotfixCategories.includes(category))
    return usageError(io, `cockpit exception: --category must be ${hotfixCategories.join(' or ')}.\n`);
  const services = list(values.services);
  if (services.length === 0) return usageError(io, 'cockpit exception: --services a,b is required.\n');
  const versions = parseServiceVersions(typeof values.versions === 'string' ? values.versions : undefined);
  if (!versions)
    return usageError(io, 'cockpit exception: --versions expects service=version pairs, e.g. auth-service=2.2.1.\n');
  const hours = values.hours === undefined ? undefined : Number(values.hours);
  if (hours !== undefined && !(hours > 0))
    return usageError(io, 'cockpit exception: --hours must be a positive number.\n');
  const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
  if (reason.length < 10)
    return usageError(io, 'cockpit exception: --reason "…" is required (at least 10 characters).\n');
  try {
    const { policy, share } = await policyFor(platform, io);
    const approval = await policy.requestException(environment, { category, services, versions, reason, hours });
    await share();
    printRequested(io, approval, values.json === true);
    return exitCodes.ok;
  } catch (error) {
    return failed(io, 'exception request', error);
  }
}

const overrideUsage = `Usage: cockpit override request <environment> --gates g1,g2 --reason "…" --platform <file> [--json]
Asks for blocking gates (ids as \`cockpit gates\` prints them) to pass for an hour, once another
person with the gate-override role approves it (cockpit approve <id>). Prints the request's id.
`;

export async function runOverride(args: string[], io: CliIo): Promise<number> {
  const prepared = await prepare(args, io, overrideUsage, { gates: { type: 'string' }, reason: { type: 'string' } });
  if (typeof prepared === 'number') return prepared;
  const { values, positionals, platform } = prepared;
  const [verb, environment, ...extra] = positionals;
  if (verb !== 'request' || !environment || extra.length > 0) return usageError(io, overrideUsage);
  const gates = list(values.gates);
  const badGate = gates.find((gate) => !/^[a-z]+:[a-z0-9-]{1,63}$/.test(gate));
  if (gates.length === 0 || badGate)
    return usageError(
      io,
      `cockpit override: --gates expects gate ids such as ci:auth-service${badGate ? `, not "${badGate}"` : ''}.\n`,
    );
  const reason = typeof values.reason === 'string' ? values.reason.trim() : '';
  if (reason.length < 10)
    return usageError(io, 'cockpit override: --reason "…" is required (at least 10 characters).\n');
  try {
    const { policy, share } = await policyFor(platform, io);
    const approval = await policy.requestOverride(environment, gates, reason);
    await share();
    printRequested(io, approval, values.json === true);
    return exitCodes.ok;
  } catch (error) {
    return failed(io, 'override request', error);
  }
}

function printRequested(io: CliIo, approval: Approval, isJson: boolean) {
  if (isJson) io.out(`${JSON.stringify(approvalJson(approval), null, 2)}\n`);
  else
    io.out(
      `Requested ${describe(approval)}: ${approval.id}\nAnother person with the role approves it with \`cockpit approve ${approval.id}\` (pending until ${approval.expiresAt}).\n`,
    );
}

const decideUsage = (verb: 'approve' | 'reject') =>
  verb === 'approve'
    ? `Usage: cockpit approve <id> [--reason "…"] --platform <file> [--json]
Approves a hotfix exception or gate override request (not your own where four eyes applies).
`
    : `Usage: cockpit reject <id> --reason "…" --platform <file> [--json]
Rejects a hotfix exception or gate override request, saying why.
`;

export const runApprove = (args: string[], io: CliIo) => runDecide('approve', args, io);
export const runReject = (args: string[], io: CliIo) => runDecide('reject', args, io);

async function runDecide(verb: 'approve' | 'reject', args: string[], io: CliIo): Promise<number> {
  const usage = decideUsage(verb);
  const prepared = await prepare(args, io, usage, { reason: { type: 'string' } });
  if (typeof prepared === 'number') return prepared;
  const { values, positionals, platform } = prepared;
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) return usageError(io, usage);
  const reason = typeof values.reason === 'string' ? values.reason.trim() : undefined;
  if (verb === 'reject' && !reason) return usageError(io, 'cockpit reject: --reason "…" is required.\n');
  try {
    const { policy, share } = await policyFor(platform, io);
    const approval = await policy.decide(id, verb === 'approve' ? 'approved' : 'rejected', reason);
    await share();
    if (values.json) io.out(`${JSON.stringify(approvalJson(approval), null, 2)}\n`);
    else
      io.out(
        `${approval.status === 'approved' ? 'Approved' : 'Rejected'} ${describe(approval)}${approval.status === 'approved' ? ` until ${approval.expiresAt}` : ''}${approval.isIndependent ? '' : ' (not independent: approved by its requester)'}.\n`,
      );
    return exitCodes.ok;
  } catch (error) {
    return failed(io, verb, error);
  }
}

const approvalsUsage = `Usage: cockpit approvals --platform <file> [--json]
Every hotfix exception and gate override request, newest first: pending, approved, rejected or
expired, who asked and who decided, and whether their signatures verify.
JSON: { approvals: [{ id, kind, environment, services, versions, reason, requestedBy, status,
decidedBy, expiresAt, verified, … }] }.
`;

export async function runApprovals(args: string[], io: CliIo): Promise<number> {
  const prepared = await prepare(args, io, approvalsUsage, {});
  if (typeof prepared === 'number') return prepared;
  const { values, positionals, platform } = prepared;
  if (positionals.length > 0) return usageError(io, approvalsUsage);
  try {
    const { policy } = await policyFor(platform, io);
    const approvals = await policy.approvals();
    if (values.json) io.out(`${JSON.stringify({ approvals: approvals.map(approvalJson) }, null, 2)}\n`);
    else if (approvals.length === 0) io.out('No exception or override requests.\n');
    else
      for (const approval of approvals)
        io.out(
          `${approval.id}  ${approval.status.padEnd(8)} ${describe(approval)} — asked by ${approval.requestedBy}${approval.decidedBy ? `, ${approval.status === 'rejected' ? 'rejected' : 'approved'} by ${approval.decidedBy}` : ''}${approval.status === 'approved' && !approval.isIndependent ? ' (not independent)' : ''}${approval.verified ? '' : ' [NOT VERIFIED]'}: ${approval.reason}\n`,
        );
    return exitCodes.ok;
  } catch (error) {
    return failed(io, 'approvals', error);
  }
}

const signoffUsage = `Usage: cockpit signoff <item> [--note "…"] [--release <name>] --platform <file>
       cockpit signoff --list [--release <name>] [--json] --platform <file>
       cockpit signoff --revoke <item> --reason "…" [--release <name>] --platform <file>
Signs an item of the staging acceptance checklist (the signoff role), lists the checklist with who
signed what and whether it verifies, or withdraws a signature. The release defaults to the next
production release. Items: ${checklistItems.map((item) => item.id).join(', ')}.
`;

export async function runSignoff(args: string[], io: CliIo): Promise<number> {
  const prepared = await prepare(args, io, signoffUsage, {
    note: { type: 'string' },
    release: { type: 'string' },
    list: { type: 'boolean' },
    revoke: { type: 'string' },
    reason: { type: 'string' },
  });
  if (typeof prepared === 'number') return prepared;
  const { values, positionals, platform } = prepared;
  const isList = values.list === true;
  const revoke = typeof values.revoke === 'string' ? values.revoke : undefined;
  const [item, ...extra] = positionals;
  if (extra.length > 0 || (isList ? item !== undefined || revoke : revoke ? item !== undefined : !item))
    return usageError(io, signoffUsage);
  try {
    const { policy, signoffs, share } = await policyFor(platform, io);
    const release = typeof values.release === 'string' ? values.release : policy.signoffRelease();
    const checklist = isList
      ? await signoffs.checklist(release)
      : revoke
        ? await signoffs.revoke(release, revoke, typeof values.reason === 'string' ? values.reason : '')
        : await signoffs.sign(release, item!, typeof values.note === 'string' ? values.note : undefined);
    if (!isList) await share();
    if (isList && values.json) io.out(`${JSON.stringify(checklist, null, 2)}\n`);
    else if (isList)
      for (const entry of checklist.items)
        io.out(
          `${entry.signedBy ? '✓' : ' '} ${entry.id.padEnd(30)} ${entry.signedBy ? `${entry.signedBy} at ${entry.signedAt}${entry.verified ? ', signed' : ', unsigned'}${entry.note ? ` — ${entry.note}` : ''}` : 'not signed'}\n`,
        );
    else {
      const id = revoke ?? item!;
      io.out(`${revoke ? 'Withdrew the sign-off of' : 'Signed'} ${id} for the ${release} release.\n`);
    }
    return exitCodes.ok;
  } catch (error) {
    return failed(io, 'signoff', error);
  }
}

function describe(approval: Approval): string {
  return approval.kind === 'hotfix-exception'
    ? `hotfix exception for ${approval.environment} (${approval.category ?? 'hotfix'}, ${servicesInScope(approval.services, approval.versions)})`
    : `override of ${approval.gates.join(', ')} on ${approval.environment}`;
}

function approvalJson(approval: Approval) {
  return {
    id: approval.id,
    kind: approval.kind,
    environment: approval.environment,
    services: approval.services,
    versions: approval.versions,
    ...(approval.gates.length > 0 ? { gates: approval.gates } : {}),
    ...(approval.category ? { category: approval.category } : {}),
    reason: approval.reason,
    requestedBy: approval.requestedBy,
    requestedAt: approval.requestedAt,
    status: approval.status,
    decidedBy: approval.decidedBy ?? null,
    ...(approval.decidedAt ? { decidedAt: approval.decidedAt } : {}),
    expiresAt: approval.expiresAt,
    verified: approval.verified,
    isIndependent: approval.isIndependent,
  };
}

function list(value: string | boolean | undefined): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
}

function usageError(io: CliIo, message: string): number {
  io.err(message);
  return exitCodes.usage;
}
