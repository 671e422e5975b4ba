/**
 * What a service's repository says: version in package.json, latest SemVer tag, commits since it,
 * `develop` ahead of `main`, dirty tree, current branch, last fetch. Each service's failure (no
 * repo, no tags) is reported on its own row, never thrown.
 *
 * Git runs through the hardened simple-git module (`runGit`): a repository's own config never
 * runs a program.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RepoCommit, RepoState, RepoTag } from '../../../shared/contract';
import { gitValue, runGit } from './hardened-git';
import { baseTag, isPlaceholderVersion, versionTags } from './version-tags';

export interface RepoLocation {
  path: string;
  mainBranch: string;
  developBranch: string;
  versionFile: string;
}

/** Runs git in a repository (argument arrays only, hardened: see `runGit`). */
export type GitRunner = (args: string[]) => Promise<string>;

/** A git runner bound to a repository folder. */
export function gitIn(folder: string): GitRunner {
  return (args) => runGit(args, { cwd: folder });
}

/** Reads a repository's state; `error` explains what could not be read. */
export async function readRepoState(location: RepoLocation, now: Date = new Date()): Promise<RepoState> {
  const checkedAt = now.toISOString();
  if (!existsSync(path.join(location.path, '.git'))) {
    return { checkedAt, error: `No git repository at ${location.path}: clone it there or fix repo.path.` };
  }
  const git = gitIn(location.path);
  try {
    const [fileVersion, tags, branch, status, lastFetchAt] = await Promise.all([
      readVersion(path.join(location.path, location.versionFile)),
      versionTags(git, location.developBranch).catch(() => versionTags(git)),
      git(['rev-parse', '--abbrev-ref', 'HEAD']),
      git(['status', '--porcelain']),
      fetchTime(location.path),
    ]);
    const base = baseTag(tags, false);
    const latestTag = base?.name;
    // A placeholder (semantic-release's 0.0.0-development) or no file: the version is the tag's.
    const currentVersion =
      fileVersion === undefined || isPlaceholderVersion(fileVersion) ? (base?.version ?? fileVersion) : fileVersion;
    const [commitsSinceTag, developAheadOfMain] = await Promise.all([
      latestTag ? countCommits(git, `${latestTag}..${location.developBranch}`) : Promise.resolve(undefined),
      countCommits(git, `${location.mainBranch}..${location.developBranch}`),
    ]);
    return {
      checkedAt,
      currentVersion,
      latestTag,
      commitsSinceTag,
      developAheadOfMain,
      isDirty: status.trim().length > 0,
      branch: branch.trim(),
      lastFetchAt,
      error: latestTag ? undefined : 'No vX.Y.Z tag yet: cut a first release.',
    };
  } catch (error) {
    return { checkedAt, error: `git could not read ${location.path}: ${firstLine(error)}` };
  }
}

/** Version tags, highest version first (compared as SemVer), with their dates and commits. */
export async function listTags(git: GitRunner, limit = 50): Promise<RepoTag[]> {
  return (await versionTags(git))
    .slice(0, limit)
    .map((tag) => ({ name: tag.name, date: tag.date, commit: tag.commit }));
}

/** Commits in `range` (`a..b`), newest first. */
export async function listCommits(git: GitRunner, range: string, limit = 50): Promise<RepoCommit[]> {
  const output = await git([
    'log',
    `--max-count=${limit}`,
    '--format=%H%x1f%an%x1f%aI%x1f%s',
    gitValue(range, 'The range'),
    '--',
  ]);
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hash, author, date, subject] = line.split('\x1f');
      return { hash: hash!, author: author ?? '', date: date ?? '', subject: subject ?? '' };
    });
}

async function countCommits(git: GitRunner, range: string): Promise<number | undefined> {
  try {
    return Number((await git(['rev-list', '--count', range, '--'])).trim());
  } catch {
    return undefined;
  }
}

async function readVersion(file: string): Promise<string | undefined> {
  try {
    const version = (JSON.parse(await readFile(file, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

async function fetchTime(folder: string): Promise<string | undefined> {
  try {
    return (await stat(path.join(folder, '.git', 'FETCH_HEAD'))).mtime.toISOString();
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return ((error as Error).message ?? String(error)).split('\n')[0] ?? 'unknown error';
}
