/**
 * `cockpit report <YYYY-MM> --platform <file> [--out <folder>] [--no-pdf]`: the monthly compliance
 * report from the ledger, written as Markdown, HTML and PDF (printed by headless Chromium).
 */
import path from 'node:path';
import { monthBounds } from '../core/ledger/monthly-report';
import { writeMonthlyReport } from '../core/ledger/write-report';
import { exitCodes, loadPlatformForCli, openLedgerForCli, parseOptions, type CliIo } from './cli-io';

const usage = 'Usage: cockpit report <YYYY-MM> --platform <file> [--out <folder>] [--no-pdf]\n';

export async function runReport(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    { options: { platform: { type: 'string' }, out: { type: 'string' }, 'no-pdf': { type: 'boolean' } } },
    args,
    io,
  );
  const [month, ...extra] = options?.positionals ?? [];
  if (!options || !month || extra.length > 0 || !options.values.platform) {
    io.err(usage);
    return exitCodes.usage;
  }
  const bounds = monthBounds(month);
  if (!bounds) {
    io.err(`cockpit report: "${month}" is not a month such as 2026-11.\n`);
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const { ledger } = await openLedgerForCli(platform, io);
  const written = await writeMonthlyReport({
    platform,
    records: await ledger.readAll(),
    month,
    folder: path.resolve(options.values.out ?? '.'),
    now: new Date(),
    printPdf: options.values['no-pdf'] ? false : undefined,
  });
  for (const file of Object.values(written.files)) io.out(`Wrote ${file}\n`);
  if (!written.pdfProblem) return exitCodes.ok;
  io.err(`cockpit report: ${written.pdfProblem}\n`);
  return exitCodes.failed;
}
