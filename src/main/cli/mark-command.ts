/**
 * `cockpit mark-bad <service> <version> --platform <file> --reason "…"` and `cockpit mark-good …`:
 * a version that must not be deployed again (no plan proposes it, a start refuses it unless a
 * person allows it with a reason), or that may be again. Both are ledger records.
 */
import { markVersion } from '../core/deploy/mark-version';
import { CockpitError } from '../core/errors';
import { AuditTrail } from '../core/ledger/audit-trail';
import { exitCodes, loadPlatformForCli, openLedgerForCli, parseOptions, type CliIo } from './cli-io';

const usage = (verdict: 'bad' | 'good') =>
  `Usage: cockpit mark-${verdict} <service> <version> --platform <file> --reason "…"\n` +
  (verdict === 'bad'
    ? 'Marks the version bad: default plans and the promotion never propose it again, and a deploy naming it is refused unless --allow-bad "<reason>" is given.\n'
    : 'Lifts a bad mark: the version may be planned and deployed again.\n');

export const runMarkBad = (args: string[], io: CliIo) => runMark('bad', args, io);
export const runMarkGood = (args: string[], io: CliIo) => runMark('good', args, io);

async function runMark(verdict: 'bad' | 'good', args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        reason: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    args,
    io,
  );
  if (options?.values.help) {
    io.out(usage(verdict));
    return exitCodes.ok;
  }
  const [service, version, ...extra] = options?.positionals ?? [];
  if (
    !options ||
    !service ||
    !version ||
    extra.length > 0 ||
    !options.values.platform ||
    !options.values.reason?.trim()
  ) {
    io.err(usage(verdict));
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const { ledger } = await openLedgerForCli(platform, io);
  try {
    const marked = await markVersion(new AuditTrail(ledger, () => undefined), platform, {
      service,
      version,
      verdict,
      reason: options.values.reason,
    });
    io.out(
      `Marked ${marked.service} v${marked.version} ${verdict} (${marked.markedBy}): ${options.values.reason.trim()}\n`,
    );
    return exitCodes.ok;
  } catch (error) {
    io.err(`cockpit mark-${verdict}: ${(error as Error).message}\n`);
    return error instanceof CockpitError && (error.code === 'BAD_INPUT' || error.code === 'NOT_FOUND')
      ? exitCodes.usage
      : exitCodes.failed;
  }
}
