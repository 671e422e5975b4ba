/**
 * `cockpit release plan|cut` and `cockpit notes`: releases from a terminal. A service comes from
 * `--platform <file>`, or `--repo <path>` names any local repository instead (its current branch
 * is the release branch).
 */
import os from 'node:os';
import path from 'node:path';
import type { ReleasePlan, ReleasePreview } from '../../shared/contract';
import { resolveDataDir } from '../core/data-dir';
import { CockpitError } from '../core/errors';
import { runGit } from '../core/git/hardened-git';
import { AuditTrail } from '../core/ledger/audit-trail';
import { resolveActor } from '../core/ledger/actor';
import { Ledger } from '../core/ledger/ledger';
import type { Platform } from '../core/platform/schema';
import { ReleaseService } from '../core/release/release-service';
import { repositoryPlatform } from '../core/release/repository-platform';
import { bumps, type Bump } from '../core/release/version-plan';
import { exitCodes, loadPlatformForCli, managedReposForCli, parseOptions, type CliIo } from './cli-io';

const usage = `Usage:
  cockpit release plan <service> (--platform <file> | --repo <path>) [--json]
  cockpit release cut <service>[,<service>…] <patch|minor|major> (--platform <file> | --repo <path>) [--dry-run] [--branch <b>] [--json]
  cockpit release hotfix <service> --from <tag production runs> (--platform <file> | --repo <path>)
  cockpit notes <service> <from>..<to> (--platform <file> | --repo <path>)
With --repo, <service> may be left out or be "-" (the repository's folder name is used):
  cockpit release plan --repo <path>, cockpit release cut minor --repo <path>, cockpit notes --repo <path> v1.2.0..v1.3.0
The plan starts after the highest stable version tag reachable from the release branch
(pre-release tags count on alpha, beta, next and rc branches). When package.json is missing or
holds a placeholder (0.0.0-development), the version comes from the tags and a cut only tags.
`;

/** The text plan lists this many commits; --json lists them all. */
const listedCommits = 50;

type Source = { service: ReleaseService; serviceId: string };

export async function runRelease(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        repo: { type: 'string' },
        json: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        branch: { type: 'string' },
        from: { type: 'string' },
      },
    },
    rest,
    io,
  );
  if (!options || (action !== 'plan' && action !== 'cut' && action !== 'hotfix')) return usageError(io);
  // With --repo the service is optional: `release cut minor --repo <path>`, `release plan --repo <path>`.
  const expected = action === 'cut' ? 2 : 1;
  const positionals =
    options.values.repo && options.positionals.length === expected - 1
      ? ['-', ...options.positionals]
      : options.positionals;
  const [serviceName, bump, ...extra] = positionals;
  if (!serviceName || extra.length > 0 || (action !== 'cut' && bump) || (action === 'cut' && !isBump(bump)))
    return usageError(io);
  if (action === 'hotfix' && !options.values.from) return usageError(io);
  if (options.values.branch && !/^(?!-)[A-Za-z0-9._/-]+$/.test(options.values.branch)) return usageError(io);
  const names = serviceName.split(',').filter(Boolean);
  try {
    const source = await openSource(names[0]!, options.values, io);
    if (!source) return exitCodes.usage;
    if (action === 'hotfix') {
      const hotfix = await source.service.startHotfix(source.serviceId, options.values.from!);
      io.out(
        `Created and checked out ${hotfix.branch} from ${hotfix.fromTag}. Commit the fix there, then run:\n` +
          `  cockpit release cut ${serviceName} patch --branch ${hotfix.branch} …\n`,
      );
      return exitCodes.ok;
    }
    if (action === 'cut' && names.length > 1 && !options.values['dry-run']) {
      const outcomes = await source.service.cutMany(names.map((name) => ({ service: name, bump: bump as Bump })));
      for (const outcome of outcomes) {
        io.out(
          outcome.ok
            ? `✓ ${outcome.service}: released ${outcome.result.tag}\n`
            : `✗ ${outcome.service}: ${outcome.error.message}\n`,
        );
      }
      return outcomes.every((outcome) => outcome.ok) ? exitCodes.ok : exitCodes.failed;
    }
    if (action === 'plan') {
      const plan = await source.service.plan(source.serviceId);
      io.out(options.values.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
      return exitCodes.ok;
    }
    if (options.values['dry-run']) {
      const preview = await source.service.preview(source.serviceId, bump as Bump);
      io.out(options.values.json ? `${JSON.stringify(preview, null, 2)}\n` : formatPreview(preview));
      return preview.canCut ? exitCodes.ok : exitCodes.failed;
    }
    const result = await source.service.cut(source.serviceId, bump as Bump, undefined, options.values.branch);
    io.out(
      options.values.json
        ? `${JSON.stringify(result, null, 2)}\n`
        : `Released ${result.service} ${result.tag} (${result.commit.slice(0, 7)}), pushed with its tag. Notes: ${result.notesFile}\n`,
    );
    return exitCodes.ok;
  } catch (error) {
    io.err(`cockpit release ${action}: ${error instanceof CockpitError ? error.message : (error as Error).message}\n`);
    return exitCodes.failed;
  }
}

export async function runNotes(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions({ options: { platform: { type: 'string' }, repo: { type: 'string' } } }, args, io);
  // With --repo the service is optional: `cockpit notes --repo <path> v1.2.0..v1.3.0`.
  const given = options?.positionals ?? [];
  const [serviceName, range, ...extra] = options?.values.repo && given.length === 1 ? ['-', ...given] : given;
  const match = /^([^.\s][^\s]*?)\.\.([^.\s][^\s]*)$/.exec(range ?? '');
  if (!options || !serviceName || !match || extra.length > 0) {
    io.err(
      `cockpit notes: expected <service> <from>..<to>, e.g. \`cockpit notes auth-service v2.0.0..v2.1.0\`.\n${usage}`,
    );
    return exitCodes.usage;
  }
  try {
    const source = await openSource(serviceName, options.values, io);
    if (!source) return exitCodes.usage;
    io.out(await source.service.notes(source.serviceId, match[1]!, match[2]!));
    return exitCodes.ok;
  } catch (error) {
    io.err(`cockpit notes: ${error instanceof CockpitError ? error.message : (error as Error).message}\n`);
    return exitCodes.failed;
  }
}

async function openSource(
  serviceName: string,
  values: { platform?: string; repo?: string },
  io: CliIo,
): Promise<Source | undefined> {
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  if (values.repo && values.platform) {
    io.err('cockpit: give --platform or --repo, not both.\n');
    return undefined;
  }
  if (values.repo) {
    const platform = await platformForRepository(path.resolve(values.repo), io);
    if (!platform) return undefined;
    return { service: new ReleaseService({ platform, dataDir }), serviceId: platform.services[0]!.id };
  }
  if (!values.platform) {
    io.err(
      `cockpit: name the service's platform with --platform <file>, or a repository with --repo <path>.\n${usage}`,
    );
    return undefined;
  }
  const platform = await loadPlatformForCli(values.platform, io);
  if (!platform) return undefined;
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', platform.id),
    platformId: platform.id,
    actor: await resolveActor(),
  });
  return {
    service: new ReleaseService({
      platform,
      dataDir,
      audit: new AuditTrail(ledger, () => undefined),
      managedRepos: managedReposForCli(platform, io),
    }),
    serviceId: serviceName,
  };
}

/** A one-service platform around any local repository, released from its current branch. */
async function platformForRepository(repoPath: string, io: CliIo): Promise<Platform | undefined> {
  let branch: string;
  try {
    branch = (await runGit(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: repoPath })).trim();
  } catch (error) {
    // A repository refused for its config says why; anything else means there is none here.
    if (error instanceof CockpitError && error.code === 'REPO_UNSAFE') throw error;
    io.err(`cockpit: ${repoPath} is not a git repository.\n`);
    return undefined;
  }
  return repositoryPlatform(repoPath, branch);
}

function formatPlan(plan: ReleasePlan): string {
  const hidden = plan.commits.length - listedCommits;
  const lines = [
    `${plan.service}: version ${plan.currentVersion}${plan.versionSource === 'tags' ? ' (from the tags)' : ''}, latest tag ${plan.latestTag ?? 'none'}, release branch ${plan.branch}`,
    `${plan.commits.length} commit${plan.commits.length === 1 ? '' : 's'} since ${plan.latestTag ?? 'the first commit'}:`,
    ...plan.commits
      .slice(0, listedCommits)
      .map((commit) => `  ${commit.hash.slice(0, 7)} ${commit.isBreaking ? '⚠ ' : ''}${commit.subject}`),
    ...(hidden > 0 ? [`  … ${hidden} more (--json for all)`] : []),
    plan.suggestedBump
      ? `Suggested: ${plan.suggestedBump} → v${plan.nextVersions[plan.suggestedBump]}`
      : 'Suggested: nothing user-visible changed (no feat, fix, perf or security commit).',
    `Candidates: patch v${plan.nextVersions.patch}, minor v${plan.nextVersions.minor}, major v${plan.nextVersions.major}`,
    '',
  ];
  return lines.join('\n');
}

function formatPreview(preview: ReleasePreview): string {
  const lines = [
    `Dry run — nothing written. ${preview.service}: v${preview.currentVersion} → v${preview.version} (${preview.bump})`,
    'Checks:',
    ...preview.checks.map(
      (check) => `  ${check.status === 'pass' ? '✓' : '✗'} ${check.label}${check.detail ? ` — ${check.detail}` : ''}`,
    ),
    ...(preview.commitMessage
      ? [
          'Files:',
          ...preview.files.map((file) => `  ${file.path}: ${file.before} → ${file.after}`),
          `Commit: ${preview.commitMessage}`,
          `Tag: ${preview.tag} (annotated, with the notes below)`,
        ]
      : [
          'Files: none — the version lives in the tags, so no file is written and no commit made.',
          `Tag: ${preview.tag} on HEAD (annotated, with the notes below)`,
        ]),
    '',
    preview.notes,
    preview.canCut ? 'Run the same command without --dry-run to cut it.' : 'A check fails: fix it before cutting.',
    '',
  ];
  return lines.join('\n');
}

function isBump(value: string | undefined): value is Bump {
  return (bumps as readonly string[]).includes(value ?? '');
}

function usageError(io: CliIo): number {
  io.err(usage);
  return exitCodes.usage;
}
