/**
 * What every CLI subcommand shares: its streams, its exit codes, strict option parsing. Nothing
 * here loads the platform, the ledger or git: `cockpit --help` and the demo's own deploy, stop
 * and start commands (one process per demo step) start with only this.
 */
import { parseArgs } from 'node:util';

/** Exit codes scripts can trust: 0 ok, 1 the check or action failed, 2 bad usage or input. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Where the CLI writes; injectable so tests run it in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Parses options strictly; a usage mistake is reported and gives undefined (exit code 2). */
export function parseOptions<T extends Parameters<typeof parseArgs>[0]>(config: T, args: string[], io: CliIo) {
  try {
    return parseArgs({ ...config, args, strict: true, allowPositionals: true });
  } catch (error) {
    io.err(`cockpit: ${(error as Error).message}\n`);
    return undefined;
  }
}
