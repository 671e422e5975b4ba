/**
 * Printing the report's HTML to PDF with a real browser engine, headless: Chromium's own
 * print-to-PDF (the desktop app would use Electron's `printToPDF`, the same engine). The page is a
 * local file with no script and a CSP that allows nothing but its inline style.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CockpitError } from '../errors';
import { runCommand } from '../process/run-command';

/** The Chromium to print with: COCKPIT_CHROMIUM, else Debian's. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.COCKPIT_CHROMIUM ?? '/usr/bin/chromium';
}

export async function printHtmlToPdf(html: string, pdfFile: string, chromium = chromiumPath()): Promise<void> {
  if (!existsSync(chromium))
    throw new CockpitError(
      'NOT_CONFIGURED',
      `No Chromium at ${chromium} to print the PDF: install it (apt-get install chromium) or set COCKPIT_CHROMIUM. The Markdown and HTML reports are written.`,
    );
  const work = await mkdtemp(path.join(os.tmpdir(), 'cockpit-report-'));
  try {
    const page = path.join(work, 'report.html');
    await writeFile(page, html);
    const output: string[] = [];
    const result = await runCommand(
      [
        chromium,
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${path.join(work, 'profile')}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${path.resolve(pdfFile)}`,
        pathToFileURL(page).href,
      ],
      { timeoutMs: 120_000, log: (text) => output.push(text), label: 'Chromium' },
    );
    const written = await stat(pdfFile).catch(() => undefined);
    if (!result.ok || !written || written.size === 0)
      throw new CockpitError(
        'INTERNAL',
        `Chromium could not print the PDF (${result.detail}): ${output.join('').trim().split('\n').slice(-2).join(' ')}`,
      );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
