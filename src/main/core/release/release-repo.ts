/**
 * Cutting a release in a real repository, the `npm version` way: preparation checks, a dry-run
 * preview, then bump package.json and its lockfile (formatting kept), commit
 * `chore(release): vX.Y.Z`, annotated tag, and one atomic push of the branch and the tag. Never a
 * force-push; every refusal leaves the repository untouched.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { PreparationCheck, ReleaseFileChange } from '../../../shared/contract';
import { CockpitError } from '../errors';
import { gitValue, runGit } from '../git/hardened-git';
import { gitIn } from '../git/repo-state';
import {
  baseTag,
  highestVersion,
  isPlaceholderVersion,
  isPrereleaseBranch,
  versionTags,
  type VersionTag,
} from '../git/version-tags';
import { parseCommit, type CommitInput, type ParsedCommit } from './conventional-commit';
import { nextVersion, type Bump } from './version-plan';
import { bumpLockfile, bumpPackageJson } from './version-files';

export { bumpLockfile, bumpPackageJson } from './version-files';

export interface ReleaseRepo {
  path: string;
  /** The branch releases are cut from. */
  branch: string;
  remote?: string;
  /** Branches whose releases are pre-releases, beyond `alpha`, `beta`, `next` and `rc`. */
  prereleaseBranches?: readonly string[];
  /** `tag`: the version lives in tags only and package.json is never written. */
  versionSource?: 'package-json' | 'tag';
}

const recordSeparator = '\x1e';
const fieldSeparator = '\x1f';

/** Commits in `from..to` (or all of `to` without `from`), oldest first, parsed. */
export async function commitsBetween(repoPath: string, from: string | undefined, to: string): Promise<ParsedCommit[]> {
  const end = gitValue(to, 'The revision');
  const range = from ? `${gitValue(from, 'The revision')}..${end}` : end;
  const output = await runGit(
    [
      'log',
      '--reverse',
      `--format=%H${fieldSeparator}%P${fieldSeparator}%an${fieldSeparator}%aI${fieldSeparator}%B${recordSeparator}`,
      range,
      '--',
    ],
    { cwd: repoPath },
  );
  return output
    .split(recordSeparator)
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.trim().length > 0)
    .map((record): CommitInput => {
      const [hash, parents, author, date, message] = record.split(fieldSeparator);
      return {
        hash: hash!,
        parents: (parents ?? '').split(' ').filter(Boolean).length,
        author: author ?? '',
        date: date ?? '',
        message: message ?? '',
      };
    })
    .map(parseCommit);
}

/** Where a release counts from: the version, where it was read, and the tag it starts after. */
export interface ReleaseBase {
  /** The version a bump applies to. */
  current: string;
  /**
   * `package.json` when the file holds the version (a cut bumps it); `tags` when there is no
   * package.json, it holds a placeholder (`0.0.0-development`) or the platform says the version
   * lives in tags (a cut then only tags).
   */
  source: 'package.json' | 'tags';
  /** The tag the release starts after: the highest stable version tag reachable from the branch. */
  tag?: VersionTag;
  /** Every version tag reachable from the branch, highest first (pre-releases included). */
  tags: VersionTag[];
}

/**
 * Reads where a release of `repo.branch` counts from (see `version-tags.ts` for the tag choice).
 * Throws a typed error for a branch that does not exist or an unreadable package.json.
 */
export async function readReleaseBase(repo: ReleaseRepo): Promise<ReleaseBase> {
  const git = gitIn(repo.path);
  const tags = await versionTags(git, repo.branch).catch((error: unknown) => {
    if (error instanceof CockpitError && error.code === 'REPO_UNSAFE') throw error;
    throw new CockpitError(
      'NOT_FOUND',
      `${repo.path} has no branch or revision "${repo.branch}": name the branch releases are cut from.`,
    );
  });
  const tag = baseTag(tags, isPrereleaseBranch(repo.branch, repo.prereleaseBranches));
  const fileVersion = repo.versionSource === 'tag' ? undefined : await packageVersion(repo.path, { isOptional: true });
  if (fileVersion !== undefined && !isPlaceholderVersion(fileVersion)) {
    return { current: fileVersion, source: 'package.json', tag, tags };
  }
  return { current: tag?.version ?? '0.0.0', source: 'tags', tag, tags };
}

/** The newest release tag of the branch (the highest stable version tag reachable from it), if any. */
export async function latestReleaseTag(repo: ReleaseRepo): Promise<string | undefined> {
  return (await readReleaseBase(repo)).tag?.name;
}

/** The version tag `ref` names (`v1.2.3`, `refs/tags/v1.2.3`), undefined for anything else. */
export async function versionTag(repoPath: string, ref: string): Promise<VersionTag | undefined> {
  const name = ref.replace(/^refs\/tags\//, '');
  return (await versionTags(gitIn(repoPath), undefined, name))[0];
}

/**
 * The version in package.json; with `isOptional`, undefined when there is no package.json (an
 * unreadable one is still an error).
 */
export async function packageVersion(repoPath: string, options?: { isOptional?: false }): Promise<string>;
export async function packageVersion(repoPath: string, options: { isOptional: true }): Promise<string | undefined>;
export async function packageVersion(
  repoPath: string,
  options: { isOptional?: boolean } = {},
): Promise<string | undefined> {
  const file = path.join(repoPath, 'package.json');
  if (options.isOptional && !existsSync(file)) return undefined;
  try {
    const version = (JSON.parse(await readFile(file, 'utf8')) as { version?: unknown }).version;
    if (typeof version === 'string') return version;
  } catch {
    // Reported below.
  }
  throw new CockpitError('RELEASE_REFUSED', `${file} has no readable "version": fix package.json first.`);
}

/** Runs the preparation checks for releasing `version`; nothing is changed but a fetch. */
export async function preparationChecks(
  repo: ReleaseRepo,
  version: string,
  known?: ReleaseBase,
): Promise<PreparationCheck[]> {
  const remote = repo.remote ?? 'origin';
  const git = gitIn(repo.path);
  const checks: PreparationCheck[] = [];
  const branch = (await git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  checks.push(
    branch === repo.branch
      ? { id: 'branch', label: `On the release branch ${repo.branch}`, status: 'pass' }
      : {
          id: 'branch',
          label: `On the release branch ${repo.branch}`,
          status: 'fail',
          detail: `The checkout is on ${branch}: run \`git switch ${repo.branch}\`.`,
        },
  );
  let hasRemote = true;
  try {
    await git(['fetch', '--quiet', '--tags', remote]);
    checks.push({ id: 'fetch', label: `Fetched ${remote}`, status: 'pass' });
  } catch (error) {
    hasRemote = false;
    checks.push({
      id: 'fetch',
      label: `Fetched ${remote}`,
      status: 'fail',
      detail: `Could not fetch ${remote} (${(error as Error).message}); a release needs the remote's latest state.`,
    });
  }
  if (hasRemote) {
    const behind = await countOrUndefined(repo.path, `HEAD..${remote}/${repo.branch}`);
    checks.push(
      behind === undefined
        ? {
            id: 'up-to-date',
            label: `Up to date with ${remote}/${repo.branch}`,
            status: 'warn',
            detail: `${remote} has no branch ${repo.branch} yet: the push creates it.`,
          }
        : behind > 0
          ? {
              id: 'up-to-date',
              label: `Up to date with ${remote}/${repo.branch}`,
              status: 'fail',
              detail: `Behind ${remote} by ${behind} commit${behind === 1 ? '' : 's'}: run \`git pull --ff-only\`.`,
            }
          : { id: 'up-to-date', label: `Up to date with ${remote}/${repo.branch}`, status: 'pass' },
    );
  }
  const dirty = (await git(['status', '--porcelain'])).trim();
  checks.push(
    dirty
      ? {
          id: 'clean',
          label: 'Clean working tree',
          status: 'fail',
          detail: `Uncommitted changes:\n${dirty.split('\n').slice(0, 10).join('\n')}\nCommit or stash them first.`,
        }
      : { id: 'clean', label: 'Clean working tree', status: 'pass' },
  );
  const tag = `v${version}`;
  const isTaken = await git(['rev-parse', '--quiet', '--verify', `refs/tags/${tag}`]).then(
    () => true,
    () => false,
  );
  checks.push(
    isTaken
      ? {
          id: 'tag-free',
          label: `Tag ${tag} is free`,
          status: 'fail',
          detail: `Tag ${tag} already exists: choose another version or delete the tag.`,
        }
      : { id: 'tag-free', label: `Tag ${tag} is free`, status: 'pass' },
  );
  // Read after the fetch, so tags another laptop pushed count too.
  checks.push(aboveTagsCheck(repo, version, known ?? (await readReleaseBase(repo))));
  return checks;
}

/** A release never goes below (or back to) a version already tagged on its branch. */
function aboveTagsCheck(repo: ReleaseRepo, version: string, base: ReleaseBase): PreparationCheck {
  const label = `v${version} is above every version tagged on ${repo.branch}`;
  const highest = highestVersion(base.tags);
  if (!semver.valid(version)) {
    return { id: 'above-tags', label, status: 'fail', detail: `"${version}" is not a SemVer version.` };
  }
  if (!highest || semver.gt(version, highest.version)) return { id: 'above-tags', label, status: 'pass' };
  const from =
    base.source === 'package.json'
      ? `package.json says ${base.current}: set it to ${highest.version} (the tag's version) and plan again`
      : 'choose a larger bump';
  return {
    id: 'above-tags',
    label,
    status: 'fail',
    detail: `${highest.name} is already on ${repo.branch} and v${version} is not above it: ${from}.`,
  };
}

/**
 * What a cut would write: the file changes with their new content — none when the version lives
 * in tags. Nothing is written.
 */
export async function plannedFileChanges(
  repoPath: string,
  from: string,
  to: string,
  source: ReleaseBase['source'] = 'package.json',
): Promise<(ReleaseFileChange & { content: string })[]> {
  if (source === 'tags') return [];
  const changes: (ReleaseFileChange & { content: string })[] = [];
  const packageFile = path.join(repoPath, 'package.json');
  const packageText = await readFile(packageFile, 'utf8');
  changes.push({
    path: 'package.json',
    before: `"version": "${from}"`,
    after: `"version": "${to}"`,
    content: bumpPackageJson(packageText, from, to),
  });
  const lockFile = path.join(repoPath, 'package-lock.json');
  if (existsSync(lockFile)) {
    const lockText = await readFile(lockFile, 'utf8');
    changes.push({
      path: 'package-lock.json',
      before: `"version": "${from}"`,
      after: `"version": "${to}"`,
      content: bumpLockfile(lockText, from, to),
    });
  }
  return changes;
}

export interface CutOutcome {
  version: string;
  tag: string;
  commit: string;
  branch: string;
}

/**
 * Cuts `bump` in the repository: refuses (changing nothing) unless every check passes, then
 * commits, tags and pushes atomically. A failed push leaves the local commit and tag and says how
 * to finish or undo.
 */
export async function cutRelease(
  repo: ReleaseRepo,
  bump: Bump,
  tagMessage: (version: string) => Promise<string>,
): Promise<CutOutcome> {
  const remote = repo.remote ?? 'origin';
  const base = await readReleaseBase(repo);
  const version = nextVersion(base.current, bump);
  const failed = (await preparationChecks(repo, version)).filter((check) => check.status === 'fail');
  if (failed.length > 0) {
    throw new CockpitError(
      'RELEASE_REFUSED',
      `Nothing was changed: ${failed.map((check) => `${check.label} — ${check.detail ?? 'failed'}`).join('; ')}`,
      { failedChecks: failed.map((check) => check.id) },
    );
  }
  const tag = `v${version}`;
  const commit = await commitAndTagRelease(repo.path, base.current, version, await tagMessage(version), base.source);
  const git = gitIn(repo.path);
  try {
    await git([
      'push',
      '--quiet',
      '--atomic',
      remote,
      `refs/heads/${repo.branch}:refs/heads/${repo.branch}`,
      `refs/tags/${tag}:refs/tags/${tag}`,
    ]);
  } catch (error) {
    throw new CockpitError(
      'PUSH_FAILED',
      `Committed ${commit.slice(0, 7)} and tagged ${tag} locally, but the push to ${remote} failed (${(error as Error).message}). ` +
        `To finish: \`git push --atomic ${remote} ${repo.branch} ${tag}\`. To undo: \`git tag -d ${tag} && git reset --hard HEAD~1\`.`,
      { commit, tag, isLocalOnly: true },
    );
  }
  return { version, tag, commit, branch: repo.branch };
}

/**
 * In a checkout (or a worktree) whose package.json says `current`: bump it and its lockfile to
 * `version`, commit `chore(release): vX.Y.Z` and tag it with `message`. When the version lives in
 * tags (`source` is `tags`), no file is written and no commit made: HEAD is tagged. Nothing is
 * pushed.
 */
export async function commitAndTagRelease(
  checkout: string,
  current: string,
  version: string,
  message: string,
  source: ReleaseBase['source'] = 'package.json',
): Promise<string> {
  const changes = await plannedFileChanges(checkout, current, version, source);
  const tag = `v${version}`;
  const git = gitIn(checkout);
  const head = (await git(['rev-parse', 'HEAD'])).trim();
  const originals = await Promise.all(
    changes.map(async (change) => ({ path: change.path, content: await readFile(path.join(checkout, change.path)) })),
  );
  let isTagged = false;
  try {
    if (changes.length > 0) {
      for (const change of changes) await writeFile(path.join(checkout, change.path), change.content);
      await git(['add', '--', ...changes.map((change) => change.path)]);
      await git(['commit', '--quiet', '-m', `chore(release): ${tag}`]);
    }
    // Verbatim: the notes' Markdown headings start with '#', which git would drop as comments.
    await runGit(['tag', '--annotate', '--cleanup=verbatim', '--file=-', '--', tag], { cwd: checkout, input: message });
    isTagged = true;
    return (await git(['rev-parse', 'HEAD'])).trim();
  } catch (error) {
    await putBack(checkout, head, originals, isTagged ? tag : undefined);
    throw error;
  }
}

/**
 * After a failed cut: the branch back at `head`, the index and the files as they were, the tag
 * gone. The tree was clean before the cut (a preparation check), so nothing else is at stake.
 */
async function putBack(
  checkout: string,
  head: string,
  originals: { path: string; content: Buffer }[],
  tag: string | undefined,
): Promise<void> {
  const git = gitIn(checkout);
  if (tag) await git(['tag', '--delete', '--', tag]).catch(() => undefined);
  await git(['reset', '--quiet', '--soft', head]).catch(() => undefined);
  await git(['reset', '--quiet', '--', ...originals.map((file) => file.path)]).catch(() => undefined);
  for (const file of originals) await writeFile(path.join(checkout, file.path), file.content);
}

async function countOrUndefined(repoPath: string, range: string): Promise<number | undefined> {
  try {
    return Number((await runGit(['rev-list', '--count', range, '--'], { cwd: repoPath })).trim());
  } catch {
    return undefined;
  }
}
