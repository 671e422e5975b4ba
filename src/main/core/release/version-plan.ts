/**
 * Which version comes next: the bump the commits call for (breaking → major, feat → minor,
 * fix/perf/security → patch), and the candidates for each bump. Pure.
 */
import semver from 'semver';
import type { ParsedCommit } from './conventional-commit';

export const bumps = ['major', 'minor', 'patch'] as const;
export type Bump = (typeof bumps)[number];

const patchTypes = new Set(['fix', 'perf', 'security', 'sec', 'revert']);

/** The bump the commits call for, or undefined when nothing user-visible changed. */
export function suggestBump(commits: ParsedCommit[]): Bump | undefined {
  if (commits.some((commit) => commit.isBreaking)) return 'major';
  if (commits.some((commit) => commit.type === 'feat')) return 'minor';
  if (commits.some((commit) => commit.type !== undefined && patchTypes.has(commit.type))) return 'patch';
  return undefined;
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
