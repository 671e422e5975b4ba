/**
 * `cockpit validate <file>`: checks a platform file and prints a one-line summary, or every
 * problem as `file:line:column: message` (every kind in one pass); a file that is not there is exit 2.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadPlatformFile } from '../core/platform/load';
import { formatProblem } from '../core/platform/problems';
import { exitCodes, parseOptions, type CliIo } from './cli-args';

export async function runValidate(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions({ options: { json: { type: 'boolean' } } }, args, io);
  if (!options) return exitCodes.usage;
  const [file, ...extra] = options.positionals;
  if (!file || extra.length > 0) {
    io.err('Usage: cockpit validate <platform-file> [--json]\n');
    return exitCodes.usage;
  }
  if (!existsSync(file)) {
    io.err(`cockpit validate: ${path.resolve(file)}: no such file.\n`);
    return exitCodes.usage;
  }
  const result = await loadPlatformFile(file);
  if (options.values.json) {
    io.out(
      `${JSON.stringify(result.ok ? { valid: true, summary: summarize(result.platform) } : { valid: false, problems: result.problems }, null, 2)}\n`,
    );
    return result.ok ? exitCodes.ok : exitCodes.failed;
  }
  if (!result.ok) {
    for (const problem of result.problems) io.err(`${formatProblem(problem)}\n`);
    io.err(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${file}.\n`);
    return exitCodes.failed;
  }
  const summary = summarize(result.platform);
  io.out(
    `${file}: ${summary.name} is valid — ${summary.environments} environments, ${summary.services} services, ${summary.credentials} credentials.\n`,
  );
  return exitCodes.ok;
}

function summarize(platform: { name: string; environments: unknown[]; services: unknown[]; credentials: unknown[] }) {
  return {
    name: platform.name,
    environments: platform.environments.length,
    services: platform.services.length,
    credentials: platform.credentials.length,
  };
}
