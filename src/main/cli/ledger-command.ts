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
import { syncLedgerMirror } from '../core/ledger/mirror';
import { filterRecords, toCsv, toJson, type LedgerFilter } from '../core/ledger/query';
import { exitCodes, loadPlatformForCli, parseOptions, type CliIo } from './cli-io';

const usage = `Usage:
  cockpit ledger verify --platform <file> [--json]
  cockpit ledger export --platform <file> [--format json|csv] [--out <file>] [filters]
  cockpit ledger tail   --platform <file> [-n <count>] [--json] [filters]
  cockpit ledger sync   --platform <file>
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
      case 'verify': {
        const verification = await ledger.verify();
        if (values.json) io.out(`${JSON.stringify(verification, null, 2)}\n`);
        else if (verification.problem)
          io.err(`${ledger.paths.file}:${verification.problem.line}: ${verification.problem.message}\n`);
        else io.out(`Ledger of ${platform.name}: ${verification.recordCount} records, chain intact.\n`);
        if (verification.tornTail && !values.json) {
          io.err(
            `${ledger.paths.file}:${verification.tornTail.line}: torn last line (${verification.tornTail.bytes} bytes) from an interrupted write; the next append moves it aside and records the repair.\n`,
          );
        }
        return verification.isValid ? exitCodes.ok : exitCodes.failed;
      }
      case 'export': {
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
