/**
 * `cockpit status --platform <file> [--json]`: the matrix once — every service × environment
 * probed, with the latest tag from each repository — then exit (1 if a protected environment has a
 * service that is not up).
 */
import type { MatrixCell, MatrixSnapshot } from '../../shared/contract';
import { readRepoState } from '../core/git/repo-state';
import { MatrixModel } from '../core/health/matrix-model';
import { HealthProber } from '../core/health/prober';
import { exitCodes, loadPlatformForCli, parseOptions, type CliIo } from './cli-io';

export async function runStatus(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    { options: { platform: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' } } },
    args,
    io,
  );
  if (!options || options.positionals.length > 0 || !options.values.platform) {
    io.err('Usage: cockpit status --platform <file> [--json] [--timeout <ms>]\n');
    return exitCodes.usage;
  }
  const timeoutMs = options.values.timeout === undefined ? 3_000 : Number(options.values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
    io.err('cockpit status: --timeout must be a whole number of milliseconds between 100 and 60000.\n');
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const model = new MatrixModel(platform);
  const prober = new HealthProber({ timeoutMs });
  try {
    const [results, repos] = await Promise.all([
      // An instance that did not answer is asked once more before it is called unreachable.
      prober.sweep(model.targets(), { askAgain: () => true }),
      Promise.all(
        platform.services
          .filter((service) => service.repo.path)
          .map(async (service) => ({
            service: service.id,
            state: await readRepoState({
              path: service.repo.path!,
              mainBranch: service.repo.mainBranch,
              developBranch: service.repo.developBranch,
              versionFile: service.version.file,
            }),
          })),
      ),
    ]);
    for (const [key, result] of results) model.applyProbe(key, result);
    for (const { service, state } of repos) model.applyRepo(service, state);
  } finally {
    await prober.close();
  }
  const snapshot = model.snapshot();
  const latestTag = (service: string) => snapshot.rows.find((row) => row.service === service)?.repo?.latestTag;
  if (options.values.json) {
    const cells = snapshot.cells.map((cell) => ({
      service: cell.service,
      environment: cell.environment,
      status: cell.status,
      deployedVersion: cell.deployedVersion ?? null,
      latestTag: latestTag(cell.service) ?? null,
      latencyMs: cell.latencyMs ?? null,
      checkedAt: cell.checkedAt ?? null,
      error: cell.error ?? null,
    }));
    io.out(`${JSON.stringify({ cells }, null, 2)}\n`);
  } else {
    io.out(formatMatrix(snapshot, latestTag, timeoutMs));
  }
  const protectedIds = new Set(
    platform.environments.filter((environment) => environment.protected).map((environment) => environment.id),
  );
  const isProtectedDown = snapshot.cells.some((cell) => protectedIds.has(cell.environment) && cell.status !== 'up');
  return isProtectedDown ? exitCodes.failed : exitCodes.ok;
}

function formatMatrix(
  snapshot: MatrixSnapshot,
  latestTag: (service: string) => string | undefined,
  timeoutMs: number,
): string {
  const columns = snapshot.environments.map((environment) => environment.id);
  const cellText = (cell: MatrixCell | undefined) => {
    if (!cell) return '—';
    const version = cell.deployedVersion ? ` v${cell.deployedVersion}` : '';
    const latency = cell.latencyMs !== undefined ? ` ${Math.round(cell.latencyMs)}ms` : '';
    return `${cell.status}${version}${latency}`;
  };
  const header = ['service', 'latest tag', ...columns];
  const rows = snapshot.rows.map((row) => [
    row.service,
    latestTag(row.service) ?? '—',
    ...columns.map((environment) =>
      cellText(snapshot.cells.find((cell) => cell.service === row.service && cell.environment === environment)),
    ),
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index]!))
      .join('  ')
      .trimEnd();
  const problems = snapshot.cells
    .filter((cell) => cell.error)
    .map((cell) => `  ${cell.service} in ${cell.environment}: ${cell.error}`);
  const slow = snapshot.cells.some(
    (cell) => cell.status === 'unreachable' && /no answer within/.test(cell.error ?? ''),
  );
  const hint = slow
    ? [`  (each instance was asked twice, ${timeoutMs} ms each; give a slow network more with --timeout <ms>)`]
    : [];
  return [
    line(header),
    ...rows.map(line),
    ...(problems.length > 0 ? ['', 'Problems:', ...problems, ...hint] : []),
    '',
  ].join('\n');
}
