/**
 * Level 2 — revert and redeploy (target under 15 minutes): the bad commits, chosen among those
 * between the last good tag and the running one, are reverted in a temporary worktree of the
 * environment's branch (the user's checkout is never touched), the diff is shown, a patch release
 * is cut there, the branch and the tag go in one atomic push (never forced), CI is awaited when
 * the platform has one, and the patch is deployed through the deploy engine and verified.
 * A conflict stops the walk with nothing pushed and the steps to finish by hand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CiStatus } from '../../../shared/contract';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { runningVersions } from '../deploy/targets';
import { CockpitError } from '../errors';
import { runGit } from '../git/hardened-git';
import type { Platform } from '../platform/schema';
import { commitAndTagRelease, commitsBetween, readReleaseBase } from '../release/release-repo';
import { isReleaseCommit, type ParsedCommit } from '../release/conventional-commit';
import { nextVersion } from '../release/version-plan';
import { previousStableVersion } from './previous-stable';
import { redeploy, verifyVersion, type RedeployTarget } from './redeploy';
import type { RollbackStep } from './step-machine';

export const levelTwoTargetMinutes = 15;

export interface LevelTwoContext extends RedeployTarget {
  records: LedgerRecord[];
  /** The version the service last reported (the matrix's cache), used when it does not answer now. */
  lastKnownVersion?: string;
  /** The commits to revert, as the user named them (full or abbreviated hashes). */
  commits: string[];
  /** The CI state of a tag, when the platform has CI; undefined means none is configured. */
  ciStatus?: (tag: string) => Promise<CiStatus>;
  ciTimeoutMs?: number;
  ciPollMs?: number;
  // Filled in as the walk goes.
  goodVersion?: string;
  reverts?: ParsedCommit[];
  worktree?: string;
  patchVersion?: string;
  /** The version on the branch before the patch. */
  releasedFrom?: string;
  isPushed?: boolean;
}

const maxDiffLines = 400;

/** The repository and branch a level 2 works on for an environment. */
export function revertTarget(platform: Platform, service: string, environment: string) {
  const definition = platform.services.find((candidate) => candidate.id === service);
  const target = platform.environments.find((candidate) => candidate.id === environment);
  if (!definition?.repo.path)
    throw new CockpitError(
      'NOT_CONFIGURED',
      `${service} has no repository (repo.url or repo.path) in the platform file: a level 2 rollback reverts commits there.`,
    );
  return {
    path: definition.repo.path,
    branch: target?.branch ?? (target?.protected ? definition.repo.mainBranch : definition.repo.developBranch),
    remote: 'origin',
    prereleaseBranches: definition.repo.prereleaseBranches,
    versionSource: definition.version.source,
  };
}

/** The commits between the last good version and the running one, newest first, release commits left out. */
export async function revertCandidates(repoPath: string, goodVersion: string, running: string) {
  const commits = await commitsBetween(repoPath, `refs/tags/v${goodVersion}`, `refs/tags/v${running}`);
  return commits.filter((commit) => !isReleaseCommit(commit) && !commit.isMerge).reverse();
}

/** The last good version and the running one, from health and the ledger (pure but for the probe). */
export async function revertRange(
  context: Pick<LevelTwoContext, 'platform' | 'environment' | 'service' | 'prober' | 'records' | 'lastKnownVersion'>,
) {
  // Offline, the matrix's last-known version stands in: the revert itself is local git work.
  const running =
    (await runningVersions(context.platform, context.environment, context.prober, [context.service]))[
      context.service
    ] ?? context.lastKnownVersion;
  return {
    running,
    goodVersion: previousStableVersion(context.records, context.service, context.environment, running),
  };
}

export function levelTwoSteps(
  platform: Platform,
  service: string,
  environment: string,
): RollbackStep<LevelTwoContext>[] {
  const repo = revertTarget(platform, service, environment);
  const git = (args: string[], cwd = repo.path) => runGit(args, { cwd });
  const name = path.basename(repo.path);
  return [
    {
      id: 'choose',
      title: 'Check the commits to revert',
      touches: `Fetches ${repo.remote} and reads ${name}'s history between the last good tag and the running one; changes nothing.`,
      needsNetwork: false,
      changesSomething: false,
      async run(context, log) {
        await git(['fetch', '--quiet', '--tags', repo.remote]).catch((error: Error) =>
          log(`Could not fetch ${repo.remote} (${error.message}); working from the last fetched state.\n`),
        );
        const range = await revertRange(context);
        context.running = range.running;
        context.goodVersion ??= range.goodVersion;
        if (!context.running)
          return {
            ok: false,
            detail: `${service} does not report its version in ${environment}: the bad range is unknown.`,
          };
        if (!context.goodVersion)
          return {
            ok: false,
            detail: `No earlier successful deploy of ${service} to ${environment} is in the ledger: the last good tag is unknown.`,
          };
        const candidates = await revertCandidates(repo.path, context.goodVersion, context.running);
        if (context.commits.length === 0)
          return {
            ok: false,
            detail: `Choose the commits to revert among v${context.goodVersion}..v${context.running}.`,
          };
        const chosen: ParsedCommit[] = [];
        for (const wanted of context.commits) {
          const match = candidates.filter((commit) => commit.hash.startsWith(wanted.toLowerCase()));
          if (match.length !== 1)
            return {
              ok: false,
              detail: `${wanted} is ${match.length === 0 ? 'not one of' : 'ambiguous among'} the commits of v${context.goodVersion}..v${context.running}: choose among ${candidates.map((commit) => commit.hash.slice(0, 7)).join(', ') || 'none'}.`,
            };
          chosen.push(match[0]!);
        }
        // Newest first, the order in which reverts apply cleanly.
        context.reverts = candidates.filter((commit) => chosen.includes(commit));
        return {
          ok: true,
          detail: `revert ${context.reverts.map((commit) => `${commit.hash.slice(0, 7)} ${commit.subject}`).join('; ')} (v${context.goodVersion}..v${context.running})`,
        };
      },
    },
    {
      id: 'revert',
      title: 'Revert the commits and show the diff',
      touches: `Reverts them on ${repo.branch} in a temporary worktree; your checkout and ${repo.remote} are not touched.`,
      needsNetwork: false,
      changesSomething: false,
      async run(context, log) {
        await removeWorktree(context, git);
        context.worktree = await mkdtemp(path.join(os.tmpdir(), 'cockpit-revert-'));
        const worktree = context.worktree;
        await git([
          'worktree',
          'add',
          '--quiet',
          '--detach',
          '--',
          worktree,
          `refs/remotes/${repo.remote}/${repo.branch}`,
        ]);
        for (const commit of context.reverts!) {
          try {
            await git(['revert', '--no-edit', commit.hash], worktree);
          } catch (error) {
            const conflicts = (await git(['diff', '--name-only', '--diff-filter=U'], worktree).catch(() => '')).trim();
            await git(['revert', '--abort'], worktree).catch(() => undefined);
            return {
              ok: false,
              detail:
                `Reverting ${commit.hash.slice(0, 7)} ${conflicts ? `conflicts in ${conflicts.split('\n').join(', ')}` : `failed (${(error as Error).message})`}. ` +
                `Nothing was pushed and your checkout is untouched. To finish by hand: \`git switch ${repo.branch} && git pull --ff-only && git revert ${commit.hash.slice(0, 12)}\`, resolve the conflicts, \`git revert --continue\`, push, then cut a patch release and deploy it.`,
            };
          }
        }
        const count = context.reverts!.length;
        const diff = await git(['diff', '--stat', '--patch', `HEAD~${count}`, 'HEAD'], worktree);
        const lines = diff.split('\n');
        log(`${lines.slice(0, maxDiffLines).join('\n')}\n`);
        if (lines.length > maxDiffLines) log(`… ${lines.length - maxDiffLines} more lines of diff\n`);
        const summary = (await git(['diff', '--shortstat', `HEAD~${count}`, 'HEAD'], worktree)).trim();
        return { ok: true, detail: `reverted ${count} commit${count === 1 ? '' : 's'}: ${summary || 'no change'}` };
      },
      byHand: () => `Nothing was changed: revert the commits on ${repo.branch} by hand if you still need to.`,
    },
    {
      id: 'release',
      title: 'Cut a patch release',
      touches: `Bumps package.json (and its lockfile) in the worktree, commits chore(release) and tags it; nothing is pushed yet.`,
      needsNetwork: false,
      changesSomething: false,
      async run(context) {
        const worktree = context.worktree!;
        const base = await readReleaseBase({ ...repo, path: worktree, branch: 'HEAD' });
        const current = base.current;
        const version = nextVersion(current, 'patch');
        const isTaken = await git(['rev-parse', '--quiet', '--verify', `refs/tags/v${version}`]).then(
          () => true,
          () => false,
        );
        if (isTaken)
          return {
            ok: false,
            detail: `Tag v${version} already exists: ${repo.branch} is behind the released versions; release by hand.`,
          };
        const message = [
          `Release v${version}`,
          '',
          `Level 2 rollback of ${service} in ${environment} (v${context.running} was bad):`,
          ...context.reverts!.map((commit) => `- revert ${commit.hash.slice(0, 7)} ${commit.subject}`),
          '',
        ].join('\n');
        const commit = await commitAndTagRelease(worktree, current, version, message, base.source);
        context.patchVersion = version;
        context.releasedFrom = current;
        return { ok: true, detail: `v${version} (${commit.slice(0, 7)}), not pushed yet` };
      },
    },
    {
      id: 'push',
      title: `Push ${repo.branch} and the tag`,
      touches: `Pushes the revert, the release commit and its tag to ${repo.remote} in one atomic push (never forced).`,
      needsNetwork: true,
      changesSomething: true,
      async run(context, log) {
        const tag = `v${context.patchVersion}`;
        try {
          await git(
            [
              'push',
              '--quiet',
              '--atomic',
              repo.remote,
              `HEAD:refs/heads/${repo.branch}`,
              `refs/tags/${tag}:refs/tags/${tag}`,
            ],
            context.worktree,
          );
        } catch (error) {
          return {
            ok: false,
            detail: `The push was refused (${(error as Error).message}); nothing reached ${repo.remote}. If ${repo.branch} moved, abandon and start again from the new tip.`,
          };
        }
        context.isPushed = true;
        // A release like any other, for the audit trail and the monthly report.
        await context.audit?.record([
          {
            action: 'release.cut',
            status: 'succeeded',
            correlationId: context.runId,
            services: [service],
            versionFrom: context.releasedFrom,
            versionTo: context.patchVersion,
            summary: `Release ${service} v${context.releasedFrom} → ${tag} (patch, level 2 rollback)`,
            details: { bump: 'patch', branch: repo.branch, reverts: context.reverts!.map((commit) => commit.hash) },
          },
        ]);
        log(`Pushed ${repo.branch} and ${tag} to ${repo.remote}.\n`);
        // Bring the local branch along when it is not checked out; harmless if it cannot.
        await git(['fetch', '--quiet', repo.remote, `${repo.branch}:${repo.branch}`]).catch(() => undefined);
        return { ok: true, detail: `${repo.branch} and ${tag} are on ${repo.remote}` };
      },
      byHand: () => 'Nothing was pushed: the revert was in a temporary worktree, now removed.',
    },
    {
      id: 'ci',
      title: 'Wait for CI',
      touches: 'Reads the CI run and the image of the new tag; changes nothing.',
      needsNetwork: true,
      changesSomething: false,
      async run(context, log) {
        const tag = `v${context.patchVersion}`;
        if (!context.ciStatus) return { ok: true, detail: `No CI is configured for ${service}: nothing to wait for.` };
        const deadline = Date.now() + (context.ciTimeoutMs ?? 20 * 60_000);
        for (let lastState = ''; ;) {
          const status = await context.ciStatus(tag);
          if (status.state !== lastState)
            log(`CI of ${tag}: ${status.state}${status.detail ? ` — ${status.detail}` : ''}\n`);
          lastState = status.state;
          if (status.state === 'none')
            return { ok: true, detail: `No CI is configured for ${service}: nothing to wait for.` };
          if (status.state === 'failure') return { ok: false, detail: `CI of ${tag} failed: fix it, then retry.` };
          if (status.state === 'success' && status.image?.exists !== false)
            return {
              ok: true,
              detail: `CI of ${tag} passed${status.image ? ` and ${status.image.reference} exists` : ''}`,
            };
          if (Date.now() > deadline)
            return { ok: false, detail: `CI of ${tag} is still ${status.state}: retry to wait longer.` };
          await sleep(context.ciPollMs ?? 10_000);
        }
      },
      byHand: (context) => `Wait for CI of v${context.patchVersion ?? '?'} to pass, then deploy it.`,
    },
    {
      id: 'deploy',
      title: 'Deploy the patch release',
      touches: `Stops the running version and starts the patch through the deploy provider.`,
      needsNetwork: true,
      changesSomething: true,
      run: (context, log) =>
        redeploy(
          context,
          context.patchVersion!,
          `level 2 rollback: v${context.running ?? '?'} with reverts → v${context.patchVersion}`,
          log,
        ),
      byHand: (context) =>
        `v${context.patchVersion ?? '?'} is released but not deployed: deploy it (\`cockpit deploy ${environment} --services ${service} --versions ${service}=${context.patchVersion ?? '?'}\`).`,
    },
    {
      id: 'verify',
      title: 'Verify health and version',
      touches: 'Reads the service’s health endpoint; changes nothing.',
      needsNetwork: true,
      changesSomething: false,
      run: (context) => verifyVersion(context, context.patchVersion),
    },
  ];
}

/** Removes the temporary worktree, if any (the walk's cleanup; safe to call twice). */
export async function removeWorktree(
  context: Pick<LevelTwoContext, 'worktree'>,
  git: (args: string[]) => Promise<string>,
): Promise<void> {
  if (!context.worktree) return;
  await git(['worktree', 'remove', '--force', '--', context.worktree]).catch(() => undefined);
  await rm(context.worktree, { recursive: true, force: true });
  await git(['worktree', 'prune']).catch(() => undefined);
  context.worktree = undefined;
}

/** The walk's cleanup for a level 2 of this platform's service. */
export function levelTwoCleanup(platform: Platform, service: string, environment: string) {
  const repo = revertTarget(platform, service, environment);
  return (context: LevelTwoContext) => removeWorktree(context, (args) => runGit(args, { cwd: repo.path }));
}
