/**
 * `cockpit ledger verify|export|tail|sync --platform <file>`: the audit trail from a terminal.
 */
import os from 'node:os';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { ledgerActions, type LedgerAction, type LedgerRecord } from '../../shared/ledger-record';
import { resolveDataDir } from '../core/data-dir';
import { CockpitError } from '../core/errors';
import { resolveActor } from '../core/ledger/actor';
import { Ledger } from '../core/ledger/ledger';
import { compareWithMirror, syncLedgerMirror } from '../core/ledger/mirror';
import { exportSignatures, verifyAuthority } from '../core/identity/ledger-audit';
import type { Platform } from '../core/platform/schema';
import { filterRecords, toCsv, toJson, type LedgerFilter } from '../core/ledger/query';
import { exitCodes, loadPlatformForCli, parseOptions, type CliIo } from './cli-io';

const usage = `Usage:
  cockpit ledger verify --platform <file> [--json]
  cockpit ledger export --platform <file> [--format json|csv] [--out <file>] [filters]
  cockpit ledger export --platform <file> --signatures <folder>
  cockpit ledger tail   --platform <file> [-n <count>] [--json] [filters]
  cockpit ledger sync   --platform <file>
verify checks the chain, its anchor, every signed authority record against this platform's roster,
and the team mirror's copy when one is configured; it exits 1 on any failure.
--signatures writes each signed record's signed bytes and signature (<seq>.msg, <seq>.sig), an
allowed_signers file and signers.txt, for \`ssh-keygen -Y verify -n release-cockpit\`.
Filters: --from <ISO time> --to <ISO time> --environment <id> --service <id> --action <action> --search <text>
`;

export async function runLedger(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        json: { type: 'boolean' },
        format: { type: 'string' },
        out: { type: 'string' },
        count: { type: 'string', short: 'n' },
        from: { type: 'string' },
        to: { type: 'string' },
        environment: { type: 'string' },
        service: { type: 'string' },
        action: { type: 'string' },
        search: { type: 'string' },
        signatures: { type: 'string' },
      },
    },
    rest,
    io,
  );
  if (!options || options.positionals.length > 0 || !['verify', 'export', 'tail', 'sync'].includes(action ?? '')) {
    io.err(usage);
    return exitCodes.usage;
  }
  const { values } = options;
  if (!values.platform) return usageError(io, '--platform <file> is required.');
  const filter = parseFilter(values, io);
  if (!filter) return exitCodes.usage;
  if (values.format !== undefined && values.format !== 'json' && values.format !== 'csv') {
    return usageError(io, `--format must be json or csv, not "${values.format}".`);
  }
  const count = values.count === undefined ? 20 : Number(values.count);
  if (!Number.isInteger(count) || count < 1) return usageError(io, '-n must be a positive whole number.');

  const platform = await loadPlatformForCli(values.platform, io);
  if (!platform) return exitCodes.usage;
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  const folder = path.join(dataDir, 'ledger', platform.id);
  const ledger = new Ledger({ folder, platformId: platform.id, actor: await resolveActor() });

  try {
    switch (action) {
      case 'verify':
        return await verifyLedger(ledger, platform, folder, values.json === true, io);
      case 'export': {
        if (typeof values.signatures === 'string') {
          const written = await exportSignatures(await ledger.readAll(), platform, values.signatures);
          io.out(
            `Wrote ${written.records} signed records and allowed_signers (${written.signers} keys) to ${values.signatures}.\n` +
              `Check one with: ssh-keygen -Y verify -f allowed_signers -I <e-mail in signers.txt> -n release-cockpit -s <seq>.sig < <seq>.msg\n`,
          );
          return exitCodes.ok;
        }
        const records = filterRecords(await ledger.readAll(), filter);
        const text = values.format === 'csv' ? toCsv(records) : toJson(records);
        if (values.out) {
          await writeFile(values.out, text);
          io.out(`Wrote ${records.length} records to ${values.out}.\n`);
        } else io.out(text);
        return exitCodes.ok;
      }
      case 'tail': {
        const records = filterRecords(await ledger.readAll(), filter).slice(-count);
        for (const record of records) io.out(values.json ? `${JSON.stringify(record)}\n` : `${formatRecord(record)}\n`);
        return exitCodes.ok;
      }
      default: {
        const mirror = platform.ledger.mirror;
        if (!mirror) {
          io.err(
            `${platform.name} names no ledger mirror: add "ledger: { mirror: { repo: ... } }" to ${values.platform}.\n`,
          );
          return exitCodes.failed;
        }
        const result = await syncLedgerMirror(
          ledger,
          { repo: mirror.repo, branch: mirror.branch, file: mirror.file ?? `${platform.id}.jsonl` },
          path.join(folder, 'mirror'),
        );
        io.out(
          `Synced with ${mirror.repo}: ${result.received} received, ${result.sent} sent, ${result.total} records.\n`,
        );
        return exitCodes.ok;
      }
    }
  } catch (error) {
    io.err(`cockpit ledger ${action}: ${error instanceof CockpitError ? error.message : (error as Error).message}\n`);
    return exitCodes.failed;
  }
}

function parseFilter(values: Record<string, string | boolean | undefined>, io: CliIo): LedgerFilter | undefined {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  for (const key of ['from', 'to']) {
    const value = text(key);
    if (value !== undefined && Number.isNaN(Date.parse(value))) {
      io.err(`cockpit ledger: --${key} expects an ISO time such as 2026-11-01T00:00:00Z, not "${value}".\n`);
      return undefined;
    }
  }
  const action = text('action');
  if (action !== undefined && !(ledgerActions as readonly string[]).includes(action)) {
    io.err(`cockpit ledger: unknown --action "${action}"; expected one of ${ledgerActions.join(', ')}.\n`);
    return undefined;
  }
  return {
    from: text('from'),
    to: text('to'),
    environment: text('environment'),
    service: text('service'),
    action: action as LedgerAction | undefined,
    search: text('search'),
  };
}

function formatRecord(record: LedgerRecord): string {
  const scope = [record.environment, record.services?.join(',')].filter(Boolean).join(' ');
  return `#${record.seq} ${record.time} ${record.actor.name} ${record.action} ${record.status}${scope ? ` [${scope}]` : ''} — ${record.summary}`;
}

function usageError(io: CliIo, message: string): number {
  io.err(`cockpit ledger: ${message}\n${usage}`);
  return exitCodes.usage;
}

/** `ledger verify`: the chain and its anchor, the authority records, the mirror as a second anchor. */
async function verifyLedger(ledger: Ledger, platform: Platform, folder: string, isJson: boolean, io: CliIo) {
  const verification = await ledger.verify();
  const authority = verifyAuthority(await ledger.readAll(), platform);
  const mirror = platform.ledger.mirror;
  const comparison = mirror
    ? await compareWithMirror(
        await ledger.readAll(),
        { repo: mirror.repo, branch: mirror.branch, file: mirror.file ?? `${platform.id}.jsonl` },
        path.join(folder, 'mirror'),
        authority.contentOf,
      ).catch((error: unknown) => ({
        state: 'unreachable' as const,
        missingHere: 0,
        notShared: 0,
        message: `the mirror could not be compared (${(error as Error).message})`,
      }))
    : undefined;
  const isValid = verification.isValid && authority.failures.length === 0 && comparison?.state !== 'diverged';
  const file = ledger.paths.file;
  if (isJson) {
    io.out(
      `${JSON.stringify(
        {
          ...verification,
          isValid,
          chainIsValid: verification.isValid,
          authority: {
            checked: authority.checked,
            verified: authority.verified,
            failures: authority.failures,
            unsignedBeforeSigning: authority.unsignedBeforeSigning,
          },
          ...(comparison ? { mirror: comparison } : {}),
        },
        null,
        2,
      )}\n`,
    );
    return isValid ? exitCodes.ok : exitCodes.failed;
  }
  if (verification.problem) io.err(`${file}:${verification.problem.line}: ${verification.problem.message}\n`);
  else io.out(`Ledger of ${platform.name}: ${verification.recordCount} records, chain intact.\n`);
  if (verification.tornTail)
    io.err(
      `${file}:${verification.tornTail.line}: torn last line (${verification.tornTail.bytes} bytes) from an interrupted write; the next append moves it aside and records the repair.\n`,
    );
  for (const failure of authority.failures) io.err(`${file}:${failure.line}: ${failure.status}: ${failure.message}\n`);
  for (const unsigned of authority.unsignedBeforeSigning) io.out(`${file}:${unsigned.line}: ${unsigned.message}\n`);
  if (authority.checked > 0)
    io.out(
      `Authority records: ${authority.checked} checked, ${authority.verified} verified${authority.failures.length > 0 ? `, ${authority.failures.length} FAILED` : ''}${authority.unsignedBeforeSigning.length > 0 ? `, ${authority.unsignedBeforeSigning.length} unsigned (before signing)` : ''}.\n`,
    );
  if (comparison?.state === 'diverged') io.err(`Mirror: ${comparison.message}.\n`);
  else if (comparison) io.out(`Mirror: ${comparison.message}.\n`);
  return isValid ? exitCodes.ok : exitCodes.failed;
}

/** `cockpit sync --platform <file>`: merges this laptop's ledger with the team's mirror now. */
export async function runSync(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(
      'Usage: cockpit sync --platform <file>\nMerges this laptop’s ledger with the team’s mirror (ledger.mirror) now: sign-offs, approvals, holds and marks from other laptops arrive, and this laptop’s records are shared. Every git call has a deadline (60 s). Exit 1 when the mirror cannot be reached.\n',
    );
    return exitCodes.ok;
  }
  return runLedger(['sync', ...args], io);
}
