/**
 * The `cockpit` command line: the same core, headless. Each capability adds a subcommand here.
 *
 * Exit codes scripts can trust: 0 ok, 1 the check or action failed, 2 bad usage or input.
 */
import type { PackageInfo } from '../package-info';
import { exitCodes, type CliIo } from './cli-args';

export { exitCodes, type CliIo } from './cli-args';

type Run = (args: string[], io: CliIo, info: PackageInfo) => Promise<number> | number;

/**
 * A subcommand loaded when it runs: a `cockpit demo deploy` (started for every demo deploy) need
 * not load the rollback or report code.
 */
function lazy<Name extends string>(load: () => Promise<Record<Name, Run>>, name: Name): Run {
  return async (args, io, info) => (await load())[name](args, io, info);
}

interface Subcommand {
  name: string;
  summary: string;
  run: Run;
}

const subcommands: Subcommand[] = [
  {
    name: 'validate',
    summary: 'Check a platform file; print each problem as file:line:column.',
    run: lazy(() => import('./validate-command'), 'runValidate'),
  },
  {
    name: 'platform',
    summary: 'Propose a platform file from a Coolify server (import coolify --api-url … --token-env … --out …).',
    run: lazy(() => import('./platform-command'), 'runPlatform'),
  },
  {
    name: 'status',
    summary: 'Probe every service × environment once and print the matrix (--platform <file>).',
    run: lazy(() => import('./status-command'), 'runStatus'),
  },
  {
    name: 'release',
    summary: 'Plan or cut a release of a service (plan <service> | cut <service> <bump> [--dry-run]).',
    run: lazy(() => import('./release-command'), 'runRelease'),
  },
  {
    name: 'notes',
    summary: 'Release notes of a service between two refs, as Markdown.',
    run: lazy(() => import('./release-command'), 'runNotes'),
  },
  {
    name: 'deploy',
    summary: 'Deploy services to an environment in dependency order, gated on health.',
    run: lazy(() => import('./deploy-command'), 'runDeployCommand'),
  },
  {
    name: 'mark-bad',
    summary: 'Mark a version of a service bad: never proposed or deployed again without --allow-bad (--reason).',
    run: lazy(() => import('./mark-command'), 'runMarkBad'),
  },
  {
    name: 'mark-good',
    summary: 'Lift a bad mark from a version of a service (--reason).',
    run: lazy(() => import('./mark-command'), 'runMarkGood'),
  },
  {
    name: 'gates',
    summary: 'Every gate a deploy to an environment would meet now, with its evidence; exit 1 if one blocks.',
    run: lazy(() => import('./gates-command'), 'runGates'),
  },
  {
    name: 'window',
    summary: 'Whether deploying to an environment is allowed now (or --at a time), and when the next window opens.',
    run: lazy(() => import('./window-command'), 'runWindow'),
  },
  {
    name: 'rollback',
    summary: 'Roll a service back (level 1 redeploy, 2 revert and patch, 3 database restore) and verify it.',
    run: lazy(() => import('./rollback-command'), 'runRollback'),
  },
  {
    name: 'metrics',
    summary: 'KPIs and DORA metrics of the protected environments from the ledger, against the targets.',
    run: lazy(() => import('./metrics-command'), 'runMetrics'),
  },
  {
    name: 'report',
    summary: 'The monthly compliance report (<YYYY-MM>) as Markdown, HTML and PDF, from the ledger.',
    run: lazy(() => import('./report-command'), 'runReport'),
  },
  {
    name: 'sync',
    summary: "Merge this laptop's ledger with the team's mirror now (sign-offs, approvals, holds, marks).",
    run: lazy(() => import('./ledger-command'), 'runSync'),
  },
  {
    name: 'lock',
    summary: 'Hold an environment (or --service) with a reason: deploys stop for everyone until lifted.',
    run: lazy(() => import('./lock-command'), 'runLock'),
  },
  {
    name: 'unlock',
    summary: 'Lift a hold (--reason; the gate-override role).',
    run: lazy(() => import('./lock-command'), 'runUnlock'),
  },
  {
    name: 'locks',
    summary: "Who deploys where now (the team's deploy locks) and every hold.",
    run: lazy(() => import('./lock-command'), 'runLocks'),
  },
  {
    name: 'identity',
    summary: 'Who you are in the roster, the SSH key you sign with, and whether it is your roster key.',
    run: lazy(() => import('./approval-command'), 'runIdentity'),
  },
  {
    name: 'exception',
    summary: 'Ask for a hotfix exception another person approves (request <env> --services … --reason …).',
    run: lazy(() => import('./approval-command'), 'runException'),
  },
  {
    name: 'override',
    summary: 'Ask for blocking gates to pass for an hour, approved by another person (request <env> --gates …).',
    run: lazy(() => import('./approval-command'), 'runOverride'),
  },
  {
    name: 'approve',
    summary: 'Approve an exception or override request (<id>), not your own where four eyes applies.',
    run: lazy(() => import('./approval-command'), 'runApprove'),
  },
  {
    name: 'reject',
    summary: 'Reject an exception or override request (<id> --reason …).',
    run: lazy(() => import('./approval-command'), 'runReject'),
  },
  {
    name: 'approvals',
    summary: 'Every exception and override request with its state, who asked and who decided.',
    run: lazy(() => import('./approval-command'), 'runApprovals'),
  },
  {
    name: 'signoff',
    summary: 'Sign, list or withdraw items of the staging acceptance checklist (<item> | --list | --revoke <item>).',
    run: lazy(() => import('./approval-command'), 'runSignoff'),
  },
  {
    name: 'ledger',
    summary: 'Verify, export, tail or sync the audit trail (--platform <file>).',
    run: lazy(() => import('./ledger-command'), 'runLedger'),
  },
  {
    name: 'demo',
    summary: 'Start, stop or inspect the embedded demo platform (up|down|status).',
    run: lazy(() => import('./demo-command'), 'runDemo'),
  },
];

/** Runs the CLI with `argv` (without node and script) and resolves with the exit code. */
export async function runCli(argv: string[], io: CliIo, info: PackageInfo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(helpText(info));
    return exitCodes.ok;
  }
  if (first === '--version' || first === '-v') {
    io.out(`${info.version}\n`);
    return exitCodes.ok;
  }
  const subcommand = subcommands.find((candidate) => candidate.name === first);
  if (!subcommand) {
    io.err(`cockpit: unknown command "${first}". Run \`cockpit --help\` to see the commands.\n`);
    return exitCodes.usage;
  }
  if (rest.some((argument) => argument === '--help' || argument === '-h')) {
    // A subcommand asked with no arguments does nothing but say how it is used: that is its help.
    let said = '';
    const listening: CliIo = { ...io, out: (text) => (said += text), err: (text) => (said += text) };
    const code = await subcommand.run(['--help'], listening, info);
    const usage = said.slice(Math.max(0, said.indexOf('Usage:')));
    if (code === exitCodes.ok) io.out(said);
    else {
      said = '';
      await subcommand.run([], listening, info);
      io.out(said.slice(Math.max(0, said.indexOf('Usage:'))) || usage);
    }
    return exitCodes.ok;
  }
  return subcommand.run(rest, io, info);
}

function helpText(info: PackageInfo): string {
  const lines = [
    `${info.productName} ${info.version} — cut, deploy, watch and roll back a multi-service platform.`,
    '',
    'Usage: cockpit <command> [options]',
    '',
    'Options:',
    '  -h, --help       Show this help.',
    '  -v, --version    Print the version.',
    '',
  ];
  if (subcommands.length > 0) {
    lines.push('Commands:');
    for (const subcommand of subcommands) lines.push(`  ${subcommand.name.padEnd(16)} ${subcommand.summary}`);
    lines.push('');
  }
  lines.push('Exit codes: 0 ok, 1 the check or action failed, 2 bad usage or input.');
  lines.push('State lives in one data folder; set COCKPIT_DATA_DIR to use another.', '');
  return lines.join('\n');
}
