/**
 * The `cockpit` command line: the same core, headless. Each capability adds a subcommand here.
 *
 * Exit codes scripts can trust: 0 ok, 1 the check or action failed, 2 bad usage or input.
 */
import { parseArgs } from 'node:util';
import type { PackageInfo } from '../package-info';

export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the CLI writes; injectable so tests run it in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

interface Subcommand {
  name: string;
  summary: string;
  run(args: string[], io: CliIo, info: PackageInfo): Promise<number> | number;
}

const subcommands: Subcommand[] = [];

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

/** Parses options strictly, turning a usage mistake into exit code 2 with a message. */
export function parseOptions<T extends Parameters<typeof parseArgs>[0]>(config: T, args: string[], io: CliIo) {
  try {
    return parseArgs({ ...config, args, strict: true, allowPositionals: true });
  } catch (error) {
    io.err(`cockpit: ${(error as Error).message}\n`);
    return undefined;
  }
}
