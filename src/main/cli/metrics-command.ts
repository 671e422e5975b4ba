/**
 * `cockpit metrics --platform <file> [--since 30d] [--env <environment>] [--json]`: the KPIs and
 * DORA metrics of each protected environment (or the one named) over the period, from the ledger
 * and the services' repositories, each against the manual's target.
 */
import type { MetricsReport } from '../core/ledger/metrics';
import { platformMetrics } from '../core/ledger/platform-metrics';
import { exitCodes, loadPlatformForCli, openLedgerForCli, parseOptions, type CliIo } from './cli-io';

const usage = 'Usage: cockpit metrics --platform <file> [--since 30d|12w] [--env <environment>] [--json]\n';

export async function runMetrics(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        since: { type: 'string' },
        env: { type: 'string' },
        json: { type: 'boolean' },
      },
    },
    args,
    io,
  );
  if (!options || options.positionals.length > 0 || !options.values.platform) {
    io.err(usage);
    return exitCodes.usage;
  }
  const days = periodDays(options.values.since ?? '30d');
  if (days === undefined) {
    io.err(
      `cockpit metrics: --since "${options.values.since}" is not a period such as 30d or 12w (at most 366 days).\n`,
    );
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const environments = options.values.env
    ? platform.environments.filter((environment) => environment.id === options.values.env)
    : platform.environments.filter((environment) => environment.protected);
  if (environments.length === 0) {
    io.err(
      `cockpit metrics: ${platform.name} has no ${options.values.env ? `environment "${options.values.env}"` : 'protected environment'}; expected one of ${platform.environments.map((environment) => environment.id).join(', ')}.\n`,
    );
    return exitCodes.usage;
  }
  const { ledger } = await openLedgerForCli(platform, io);
  const records = await ledger.readAll();
  const to = new Date();
  const period = { from: new Date(to.getTime() - days * 86_400_000), to };
  const reports = await Promise.all(
    environments.map((environment) => platformMetrics(platform, records, environment.id, period)),
  );
  if (options.values.json) io.out(`${JSON.stringify({ reports }, null, 2)}\n`);
  else for (const report of reports) io.out(formatReport(report, days));
  return exitCodes.ok;
}

/** `30d` → 30, `12w` → 84; undefined when it is not a period of 1 to 366 days. */
export function periodDays(text: string): number | undefined {
  const match = /^(\d{1,3})([dw])$/.exec(text.trim());
  if (!match) return undefined;
  const days = Number(match[1]) * (match[2] === 'w' ? 7 : 1);
  return days >= 1 && days <= 366 ? days : undefined;
}

function formatReport(report: MetricsReport, days: number): string {
  const lines = [
    `${report.environment}, the last ${days} days (${report.from.slice(0, 10)} – ${report.to.slice(0, 10)}):`,
  ];
  for (const kpi of report.kpis) {
    const value = kpi.value === undefined ? '—' : `${kpi.value}${kpi.unit === '%' ? ' %' : ` ${kpi.unit}`}`;
    const verdict = kpi.caveat ? '  (too few to judge)' : kpi.isMet === undefined ? '' : kpi.isMet ? '  ✓' : '  ✗';
    lines.push(
      `  ${kpi.title.padEnd(32)} ${value.padStart(12)}${kpi.target ? `  target ${kpi.target}` : ''}${verdict}  (${kpi.detail})`,
    );
  }
  if (report.services.length > 0) {
    lines.push('  Per service:');
    for (const service of report.services)
      lines.push(
        `    ${service.service.padEnd(20)} ${service.succeeded}/${service.deploys} deploys succeeded, mean ${service.meanStepMinutes ?? '—'} min, ${service.rollbacks} rollback${service.rollbacks === 1 ? '' : 's'}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
