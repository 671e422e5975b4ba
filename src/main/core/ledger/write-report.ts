/**
 * Writes a month's compliance report beside each other as Markdown, HTML and PDF, the same way
 * for the CLI and the app; the PDF is printed by whatever browser engine is given (Electron's
 * `printToPDF` in the app, headless Chromium otherwise).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger-record';
import type { Platform } from '../platform/schema';
// Upward on purpose: the compliance report states each secret's rotation, which policy derives from the ledger.
import { secretRotations } from '../policy/secret-rotation';
import { buildMonthlyReport, monthBounds, reportHtml, reportMarkdown } from './monthly-report';
import { platformMetrics } from './platform-metrics';
import { printHtmlToPdf } from './report-pdf';

export type PdfPrinter = (html: string, pdfFile: string) => Promise<void>;

export interface WrittenReport {
  markdown: string;
  files: { markdown: string; html: string; pdf?: string };
  /** Why there is no PDF, when there is none. */
  pdfProblem?: string;
}

export async function writeMonthlyReport(options: {
  platform: Platform;
  records: LedgerRecord[];
  month: string;
  folder: string;
  now: Date;
  printPdf?: PdfPrinter | false;
}): Promise<WrittenReport> {
  const { platform, records, month, now } = options;
  const bounds = monthBounds(month)!;
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
  await mkdir(options.folder, { recursive: true });
  const base = path.join(options.folder, `${platform.id}-report-${month}`);
  const markdown = reportMarkdown(report);
  const html = reportHtml(report);
  await writeFile(`${base}.md`, markdown);
  await writeFile(`${base}.html`, html);
  const written: WrittenReport = { markdown, files: { markdown: `${base}.md`, html: `${base}.html` } };
  if (options.printPdf === false) return written;
  try {
    await (options.printPdf ?? printHtmlToPdf)(html, `${base}.pdf`);
    written.files.pdf = `${base}.pdf`;
  } catch (error) {
    written.pdfProblem = (error as Error).message;
  }
  return written;
}
