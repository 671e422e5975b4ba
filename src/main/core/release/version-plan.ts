/**
 * Which version comes next: the bump the commits call for, as semantic-release's commit analyzer
 * decides it by default (a breaking change → major, even in a merge commit's notes; `feat` →
 * minor; `fix`, `perf` and reverts → patch), with the manual's `security`/`sec` as patches too;
 * and the candidates for each bump. Pure: it reads the parse `conventional-commit.ts` made.
 */
import semver from 'semver';
import { effectiveCommits, type ParsedCommit } from './conventional-commit';

export const bumps = ['major', 'minor', 'patch'] as const;
export type Bump = (typeof bumps)[number];

const patchTypes = new Set(['fix', 'perf', 'security', 'sec', 'revert']);

/** The bump one commit calls for on its own, or undefined. */
export function commitBump(commit: ParsedCommit): Bump | undefined {
  if (commit.isBreaking) return 'major';
  if (commit.type === 'feat') return 'minor';
  if ((commit.type !== undefined && patchTypes.has(commit.type)) || commit.revertOf) return 'patch';
  return undefined;
}

/**
 * The bump the commits call for, or undefined when nothing user-visible changed. Release commits
 * do not count, and a commit with its revert in the same range counts for nothing.
 */
export function suggestBump(commits: ParsedCommit[]): Bump | undefined {
  const called = new Set(effectiveCommits(commits).map(commitBump));
  return bumps.find((bump) => called.has(bump));
}

/** `1.4.2` + `minor` → `1.5.0`; throws on a version that is not SemVer. */
export function nextVersion(current: string, bump: Bump): string {
  const next = semver.inc(semver.clean(current) ?? current, bump);
  if (!next) throw new Error(`"${current}" is not a SemVer version (expected X.Y.Z).`);
  return next;
}

/** The next version for every bump. */
export function nextVersions(current: string): Record<Bump, string> {
  return {
    major: nextVersion(current, 'major'),
    minor: nextVersion(current, 'minor'),
    patch: nextVersion(current, 'patch'),
  };
}

/** The bump that took `from` to `to` (`1.4.2` → `1.5.0` is minor), undefined when not higher. */
export function bumpBetween(from: string, to: string): Bump | undefined {
  if (!semver.gt(to, from)) return undefined;
  const a = semver.parse(from)!;
  const b = semver.parse(to)!;
  if (b.major !== a.major) return 'major';
  if (b.minor !== a.minor) return 'minor';
  return 'patch';
}
