/**
 * The monthly compliance report (R20): releases per service, each protected environment's
 * delivery figures, incidents and their resolutions, gate overrides and approvals, the security
 * checklist's last verdicts, the deploy-time trend and the secrets' rotation — one model read
 * from the ledger, rendered as Markdown and as HTML (the browser engine prints the HTML to PDF).
 * Pure, but for the metrics' git reads done by the caller.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { formatInZone } from '../../../shared/time-format';
import type { Platform } from '../platform/schema';
// Upward on purpose (a type only): the report lists the secrets' rotations as policy states them.
import type { SecretRotation } from '../policy/secret-rotation';
import type { MetricsReport } from './metrics';

export interface MonthlyReport {
  platform: string;
  /** The platform's zone: every time of the report is shown in it. */
  timeZone: string;
  month: string;
  generatedAt: string;
  releases: { service: string; versions: string[] }[];
  environments: MetricsReport[];
  incidents: {
    at: string;
    service: string;
    environment: string;
    level: number;
    status: string;
    minutes: number;
    summary: string;
  }[];
  decisions: { at: string; kind: string; by: string; summary: string }[];
  security: { gate: string; title: string; verdict: string; evidence: string; at: string }[];
  rotations: SecretRotation[];
}

/** The first instant of `YYYY-MM` and of the month after it, in UTC. */
export function monthBounds(month: string): { from: Date; to: Date } | undefined {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) return undefined;
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
}

/** Gates of the pre-deploy security checklist (R24), by their id prefix. */
const securityGates = ['audit:', 'tls:', 'secrets:', 'credentials:', 'image:', 'ci:'];

export function buildMonthlyReport(input: {
  platform: Platform;
  month: string;
  records: LedgerRecord[];
  environments: MetricsReport[];
  rotations: SecretRotation[];
  now: Date;
}): MonthlyReport {
  const bounds = monthBounds(input.month)!;
  const inMonth = input.records.filter((record) => {
    const time = Date.parse(record.time);
    return time >= bounds.from.getTime() && time < bounds.to.getTime();
  });
  const releases = new Map<string, string[]>();
  for (const record of inMonth)
    if (record.action === 'release.cut' && record.status === 'succeeded' && record.versionTo)
      for (const service of record.services ?? [])
        releases.set(service, [...new Set([...(releases.get(service) ?? []), record.versionTo])]);
  const security = new Map<string, MonthlyReport['security'][number]>();
  for (const record of inMonth.filter((candidate) => candidate.action === 'gate.verdict')) {
    const gates = (record.details?.gates ?? []) as { id: string; title: string; verdict: string; evidence: string }[];
    for (const gate of gates)
      if (securityGates.some((prefix) => gate.id.startsWith(prefix)))
        security.set(gate.id, {
          gate: gate.id,
          title: gate.title,
          verdict: gate.verdict,
          evidence: gate.evidence,
          at: record.time,
        });
  }
  return {
    platform: input.platform.name,
    timeZone: input.platform.policy.timeZone,
    month: input.month,
    generatedAt: input.now.toISOString(),
    releases: [...releases]
      .map(([service, versions]) => ({ service, versions }))
      .sort((a, b) => a.service.localeCompare(b.service)),
    environments: input.environments,
    incidents: inMonth
      .filter((record) => record.action === 'rollback.finished' && record.details?.changedSomething === true)
      .map((record) => ({
        at: record.time,
        service: record.services?.[0] ?? '?',
        environment: record.environment ?? '?',
        level: Number(record.details?.level ?? 0),
        status: record.status,
        minutes: Math.round((record.durationMs ?? 0) / 60_000),
        summary:
          typeof record.details?.reason === 'string'
            ? `${record.summary} — reason: ${record.details.reason}`
            : record.summary,
      })),
    decisions: inMonth
      .filter((record) => record.action === 'override' || record.action === 'approval')
      .map((record) => {
        const independence = independenceOf(record, input.records);
        return {
          at: record.time,
          kind: independence ? `${record.action} (${independence})` : record.action,
          by: record.actor.name,
          summary: record.summary,
        };
      }),
    security: [...security.values()].sort((a, b) => a.gate.localeCompare(b.gate)),
    rotations: input.rotations,
  };
}

/**
 * Whether a decision was taken by a second person: an approval of someone else's request is
 * independent; a one-person exception or override, or an approval of one's own request, is not.
 * Deploy-time overrides (a bad version allowed, a downgrade) are not four-eyes decisions.
 */
function independenceOf(record: LedgerRecord, records: readonly LedgerRecord[]): string | undefined {
  const details = record.details ?? {};
  if (details.kind === 'allow-bad' || details.kind === 'allow-downgrade' || details.kind === 'without-team-lock')
    return undefined;
  if (record.action === 'approval' && typeof details.requestId === 'string') {
    const request = records.find((candidate) => candidate.id === details.requestId);
    if (!request) return undefined;
    const same = (a: LedgerRecord['actor'], b: LedgerRecord['actor']) =>
      a.email && b.email ? a.email.toLowerCase() === b.email.toLowerCase() : a.name === b.name;
    return same(request.actor, record.actor) ? 'not independent' : `independent, requested by ${request.actor.name}`;
  }
  return 'not independent';
}

type Table = { headers: string[]; rows: string[][] };

/** The report as sections of paragraphs and tables, shared by both renderings. */
function sections(report: MonthlyReport): { title: string; text?: string; table?: Table }[] {
  const none = (what: string) => ({ text: `No ${what} this month.` });
  return [
    {
      title: 'Releases per service',
      ...(report.releases.length > 0
        ? {
            table: {
              headers: ['Service', 'Releases'],
              rows: report.releases.map((entry) => [
                entry.service,
                entry.versions.map((version) => `v${version}`).join(', '),
              ]),
            },
          }
        : none('release')),
    },
    ...report.environments.map((environment) => ({
      title: `Delivery in ${environment.environment}`,
      table: {
        headers: ['Figure', 'Value', 'Target', 'Met'],
        rows: environment.kpis.map((kpi) => [
          kpi.title,
          kpi.value === undefined ? '—' : `${kpi.value} ${kpi.unit}`,
          kpi.target ?? '—',
          kpi.caveat ? 'too few to judge' : kpi.isMet === undefined ? '—' : kpi.isMet ? 'yes' : 'no',
        ]),
      },
    })),
    ...report.environments.map((environment) => ({
      title: `Deploy-time trend in ${environment.environment}`,
      table: {
        headers: ['Week of', 'Deploys', 'Failed', 'Rollbacks', 'Mean deploy time'],
        rows: environment.weeks.map((week) => [
          week.weekStart.slice(0, 10),
          String(week.deploys),
          String(week.failed),
          String(week.rollbacks),
          week.meanDeployMinutes === undefined ? '—' : `${week.meanDeployMinutes} min`,
        ]),
      },
    })),
    {
      title: 'Incidents and their resolution',
      ...(report.incidents.length > 0
        ? {
            table: {
              headers: ['When', 'Service', 'Environment', 'Level', 'Outcome', 'Duration', 'What happened'],
              rows: report.incidents.map((incident) => [
                formatInZone(incident.at, report.timeZone),
                incident.service,
                incident.environment,
                String(incident.level),
                incident.status,
                `${incident.minutes} min`,
                incident.summary,
              ]),
            },
          }
        : none('incident')),
    },
    {
      title: 'Gate overrides and approvals',
      ...(report.decisions.length > 0
        ? {
            table: {
              headers: ['When', 'Kind', 'By', 'What'],
              rows: report.decisions.map((decision) => [
                formatInZone(decision.at, report.timeZone),
                decision.kind,
                decision.by,
                decision.summary,
              ]),
            },
          }
        : none('override or approval')),
    },
    {
      title: 'Security checklist (last verdict of the month)',
      ...(report.security.length > 0
        ? {
            table: {
              headers: ['Gate', 'Verdict', 'Evidence', 'When'],
              rows: report.security.map((gate) => [
                gate.title,
                gate.verdict,
                gate.evidence,
                formatInZone(gate.at, report.timeZone),
              ]),
            },
          }
        : none('security gate evaluated')),
    },
    {
      title: 'Secret rotation',
      ...(report.rotations.length > 0
        ? {
            table: {
              headers: ['Secret', 'Owner', 'Last rotated', 'Due', 'State'],
              rows: report.rotations.map((secret) => [
                secret.id,
                secret.owner ?? '—',
                secret.lastRotatedAt?.slice(0, 10) ?? '—',
                secret.dueAt?.slice(0, 10) ?? '—',
                secret.status,
              ]),
            },
          }
        : { text: 'The platform declares no secrets.' }),
    },
  ];
}

export function reportMarkdown(report: MonthlyReport): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    `# ${report.platform} — compliance report, ${report.month}`,
    '',
    `Generated ${formatInZone(report.generatedAt, report.timeZone)} from the ledger; times in the platform’s zone (${report.timeZone}).`,
    '',
  ];
  for (const section of sections(report)) {
    lines.push(`## ${section.title}`, '');
    if (section.text) lines.push(section.text, '');
    if (section.table) {
      lines.push(
        `| ${section.table.headers.join(' | ')} |`,
        `| ${section.table.headers.map(() => '---').join(' | ')} |`,
      );
      for (const row of section.table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

export function reportHtml(report: MonthlyReport): string {
  const escape = (text: string) =>
    text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
  const body = sections(report)
    .map(
      (section) =>
        `<h2>${escape(section.title)}</h2>${section.text ? `<p>${escape(section.text)}</p>` : ''}${
          section.table
            ? `<table><thead><tr>${section.table.headers.map((header) => `<th>${escape(header)}</th>`).join('')}</tr></thead><tbody>${section.table.rows
                .map((row) => `<tr>${row.map((value) => `<td>${escape(value)}</td>`).join('')}</tr>`)
                .join('')}</tbody></table>`
            : ''
        }`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escape(`${report.platform} — compliance report, ${report.month}`)}</title>
<style>
  body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10.5pt; color: #1a1b1e; margin: 0; }
  h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 16pt 0 6pt; border-bottom: 1px solid #ccc; }
  p.generated { color: #666; margin: 0 0 12pt; }
  table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
  th, td { border: 1px solid #d0d0d0; padding: 3pt 5pt; text-align: left; vertical-align: top; }
  th { background: #f1f3f5; } tr { page-break-inside: avoid; }
  @page { size: A4; margin: 16mm 14mm; }
</style></head>
<body>
<h1>${escape(`${report.platform} — compliance report, ${report.month}`)}</h1>
<p class="generated">Generated ${escape(formatInZone(report.generatedAt, report.timeZone))} from the ledger; times in the platform’s zone (${escape(report.timeZone)}).</p>
${body}
</body></html>
`;
}
