/**
 * `cockpit report <YYYY-MM> --platform <file> [--out <folder>] [--no-pdf]`: the monthly compliance
 * report from the ledger, written as Markdown, HTML and PDF (printed by headless Chromium).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CockpitError } from '../core/errors';
import { buildMonthlyReport, monthBounds, reportHtml, reportMarkdown } from '../core/ledger/monthly-report';
import { platformMetrics } from '../core/ledger/platform-metrics';
import { printHtmlToPdf } from '../core/ledger/report-pdf';
import { secretRotations } from '../core/policy/secret-rotation';
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
  const records = await ledger.readAll();
  const now = new Date();
  // The current month is reported up to now, not over weeks that have not come yet.
  const period = { from: bounds.from, to: bounds.to < now ? bounds.to : now };
  const environments = await Promise.all(
    platform.environments
      .filter((environment) => environment.protected)
      .map((environment) => platformMetrics(platform, records, environment.id, period)),
  );
  const report = buildMonthlyReport({
    platform,
    month,
    records,
    environments,
    rotations: secretRotations(platform, records, period.to),
    now,
  });
  const folder = path.resolve(options.values.out ?? '.');
  await mkdir(folder, { recursive: true });
  const base = path.join(folder, `${platform.id}-report-${month}`);
  await writeFile(`${base}.md`, reportMarkdown(report));
  const html = reportHtml(report);
  await writeFile(`${base}.html`, html);
  io.out(`Wrote ${base}.md\nWrote ${base}.html\n`);
  if (options.values['no-pdf']) return exitCodes.ok;
  try {
    await printHtmlToPdf(html, `${base}.pdf`);
    io.out(`Wrote ${base}.pdf\n`);
    return exitCodes.ok;
  } catch (error) {
    if (!(error instanceof CockpitError)) throw error;
    io.err(`cockpit report: ${error.message}\n`);
    return exitCodes.failed;
  }
}
