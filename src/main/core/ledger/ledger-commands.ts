/**
 * The ledger's commands: query, verify, export and mirror sync, over the session's ledger.
 */
import path from 'node:path';
import type { CommandOutput, ParsedCommandInput } from '../../../shared/contract';
import type { LedgerVerification } from '../../../shared/ledger-record';
import { reserveUniqueFile, writeFileAtomic } from '../atomic-file';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import type { Ledger } from './ledger';
import { syncLedgerMirror } from './mirror';
import { filterRecords, toCsv, toJson } from './query';

export interface LedgerCommandContext {
  ledger: Ledger;
  platform: Platform;
  dataDir: string;
  clock: () => Date;
  /** Called with each new verification (to cache and announce it). */
  onVerified(verification: LedgerVerification): void;
  lastVerification(): LedgerVerification | undefined;
}

export function createLedgerCommands(context: () => LedgerCommandContext) {
  const verify = async () => {
    const { ledger, onVerified } = context();
    const verification = await ledger.verify();
    onVerified(verification);
    return verification;
  };

  return {
    verify,

    async query(input: ParsedCommandInput<'ledger:query'>): Promise<CommandOutput<'ledger:query'>> {
      const { ledger, lastVerification } = context();
      const all = await ledger.readAll();
      const matched = filterRecords(all, input);
      const newestFirst = matched
        .filter((record) => input.beforeSeq === undefined || record.seq < input.beforeSeq)
        .reverse()
        .slice(0, input.limit);
      return {
        records: newestFirst,
        matched: matched.length,
        total: all.length,
        verification: lastVerification() ?? (await verify()),
      };
    },

    async export(input: ParsedCommandInput<'ledger:export'>): Promise<CommandOutput<'ledger:export'>> {
      const { ledger, platform, dataDir, clock } = context();
      const records = filterRecords(await ledger.readAll(), input);
      const stamp = clock()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replaceAll(':', '-');
      const file = await reserveUniqueFile(
        path.join(dataDir, 'exports'),
        `ledger-${platform.id}-${stamp}`,
        input.format,
      );
      const content = input.format === 'csv' ? toCsv(records) : toJson(records);
      await writeFileAtomic(file, content);
      return { file, recordCount: records.length, ...(input.withContent ? { content } : {}) };
    },

    async sync(): Promise<CommandOutput<'ledger:sync'>> {
      const { ledger, platform, dataDir } = context();
      const mirror = platform.ledger.mirror;
      if (!mirror) {
        throw new CockpitError(
          'NOT_CONFIGURED',
          `${platform.name} names no ledger mirror: add "ledger: { mirror: { repo: <git URL or path> } }" to the platform file.`,
        );
      }
      const result = await syncLedgerMirror(
        ledger,
        { repo: mirror.repo, branch: mirror.branch, file: mirror.file ?? `${platform.id}.jsonl` },
        path.join(dataDir, 'ledger', platform.id, 'mirror'),
      );
      await verify();
      return result;
    },
  };
}
