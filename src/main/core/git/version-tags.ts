/**
 * Which tag a release starts from: the highest *stable* SemVer tag *reachable from the branch*
 * (`git for-each-ref --merged`), every tag considered — compared as SemVer, not with git's
 * version sort (which puts `v25.0.0-beta.11` above `v25.0.0`), never hidden by tags that are not
 * versions (`web-1`). Pre-release tags count only on a pre-release branch (`alpha`, `beta`,
 * `next`, `rc`, or the platform's own).
 */
import semver from 'semver';
import { gitValue } from './hardened-git';
import type { GitRunner } from './repo-state';

/** A tag that names a version. */
export interface VersionTag {
  name: string;
  /** Without `v`. */
  version: string;
  date: string;
  commit: string;
  isPrerelease: boolean;
}

export const defaultPrereleaseBranches = ['alpha', 'beta', 'next', 'rc'];

/** Whether releases from `branch` are pre-releases (`beta`, `release/next`, `rc-2`…). */
export function isPrereleaseBranch(branch: string, extra: readonly string[] = []): boolean {
  const last = branch.split('/').at(-1) ?? branch;
  return [...defaultPrereleaseBranches, ...extra].some(
    (name) => branch === name || last === name || last.startsWith(`${name}-`) || last.startsWith(`${name}.`),
  );
}

/**
 * Every version tag (`v1.2.3` or `1.2.3`, pre-releases included), highest version first;
 * only those reachable from `mergedInto` when given; only the tag `name` when given.
 */
export async function versionTags(git: GitRunner, mergedInto?: string, name?: string): Promise<VersionTag[]> {
  const output = await git([
    'for-each-ref',
    ...(mergedInto ? [`--merged=${gitValue(mergedInto, 'The branch')}`] : []),
    '--format=%(refname:strip=2)%09%(creatordate:iso-strict)%09%(objectname)%09%(*objectname)',
    name ? `refs/tags/${gitValue(name, 'The tag')}` : 'refs/tags/',
  ]);
  const tags: VersionTag[] = [];
  for (const line of output.split('\n')) {
    const [name, date, object, peeled] = line.split('\t');
    if (!name || !/^v?\d+\.\d+\.\d+/.test(name)) continue;
    const version = semver.valid(name.replace(/^v/, ''));
    if (!version || version !== name.replace(/^v/, '')) continue;
    tags.push({
      name,
      version,
      date: date ?? '',
      commit: (peeled || object || '').slice(0, 40),
      isPrerelease: semver.prerelease(version) !== null,
    });
  }
  return tags.sort((a, b) => semver.rcompare(a.version, b.version));
}

/** A version tag with who made it and its message: one release in a service's history. */
export interface TagRecord {
  name: string;
  version: string;
  date: string;
  author: string;
  commit: string;
  message: string;
}

/** The version tags with their makers and messages, highest version first, at most `limit`. */
export async function tagRecords(git: GitRunner, limit: number): Promise<TagRecord[]> {
  const field = '%1f';
  const output = await git([
    'for-each-ref',
    `--format=${['%(refname:strip=2)', '%(creatordate:iso-strict)', '%(objecttype)', '%(taggername)', '%(authorname)', '%(*authorname)', '%(objectname)', '%(*objectname)', '%(contents)'].join(field)}%1e`,
    'refs/tags/',
  ]);
  const records: TagRecord[] = [];
  for (const entry of output.split('\x1e')) {
    const [name, date, type, tagger, author, taggedAuthor, object, peeled, contents] = entry
      .replace(/^\n/, '')
      .split('\x1f');
    if (!name) continue;
    const version = semver.valid(name.replace(/^v/, ''));
    if (!version || version !== name.replace(/^v/, '')) continue;
    const isAnnotated = type === 'tag';
    records.push({
      name,
      version,
      date: date ?? '',
      author: (isAnnotated ? tagger || taggedAuthor : author) ?? '',
      commit: ((isAnnotated ? peeled : object) ?? '').slice(0, 40),
      message: isAnnotated ? (contents ?? '').replace(/-----BEGIN [A-Z ]*SIGNATURE-----[\s\S]*$/, '').trim() : '',
    });
  }
  return records.sort((a, b) => semver.rcompare(a.version, b.version)).slice(0, limit);
}

/** The tag a release of `branch` starts from: stable only, unless it is a pre-release branch. */
export function baseTag(tags: VersionTag[], isPrerelease: boolean): VersionTag | undefined {
  return tags.find((tag) => isPrerelease || !tag.isPrerelease);
}

/** The highest version among `tags`, pre-releases included (a cut may never go below it). */
export function highestVersion(tags: VersionTag[]): VersionTag | undefined {
  return tags[0];
}

/**
 * Whether a version file holds a placeholder rather than a version: semantic-release's
 * `0.0.0-development` convention (any `0.0.0-…`). The version then lives in tags only.
 */
export function isPlaceholderVersion(version: string | undefined): boolean {
  return version !== undefined && /^0\.0\.0-/.test(version);
}
