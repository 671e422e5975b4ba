/**
 * Releases: each service's repository, the next version and its notes, CI, the calendar, the cut.
 */
import { z } from 'zod';
import type { CommandChannel } from '../channels';
import { EntityId, noInput, type CommandSpec } from './common';

export const RepoState = z.strictObject({
  checkedAt: z.iso.datetime(),
  /** The version in the working tree's package.json. */
  currentVersion: z.string().optional(),
  latestTag: z.string().optional(),
  commitsSinceTag: z.number().int().nonnegative().optional(),
  developAheadOfMain: z.number().int().nonnegative().optional(),
  isDirty: z.boolean().optional(),
  branch: z.string().optional(),
  lastFetchAt: z.iso.datetime().optional(),
  error: z.string().optional(),
  /** A clone the cockpit manages (the service names only a repo.url). */
  isManaged: z.boolean().optional(),
  /** Its first clone is being made. */
  isCloning: z.boolean().optional(),
  /** Why the last fetch failed: what is shown comes from the last good one. */
  fetchProblem: z.string().optional(),
  /** What fetching left alone (local commits, uncommitted changes). */
  notes: z.array(z.string()).optional(),
});
export type RepoState = z.infer<typeof RepoState>;

export const RepoTag = z.strictObject({ name: z.string(), date: z.string(), commit: z.string() });
export type RepoTag = z.infer<typeof RepoTag>;
export const RepoCommit = z.strictObject({
  hash: z.string(),
  author: z.string(),
  date: z.string(),
  subject: z.string(),
});
export type RepoCommit = z.infer<typeof RepoCommit>;

export const PreparationCheck = z.strictObject({
  id: z.enum(['branch', 'fetch', 'up-to-date', 'clean', 'tag-free', 'above-tags']),
  label: z.string(),
  status: z.enum(['pass', 'fail', 'warn']),
  detail: z.string().optional(),
});
export type PreparationCheck = z.infer<typeof PreparationCheck>;

export const ReleaseFileChange = z.strictObject({ path: z.string(), before: z.string(), after: z.string() });
export type ReleaseFileChange = z.infer<typeof ReleaseFileChange>;

export const PlannedCommit = z.strictObject({
  hash: z.string(),
  subject: z.string(),
  author: z.string(),
  date: z.string(),
  type: z.string().optional(),
  scope: z.string().optional(),
  isBreaking: z.boolean(),
  isConventional: z.boolean(),
  /** `#123`, or `owner/repo#123` for another repository's issue. */
  issueRefs: z.array(z.string()),
  /** A merge commit (listed, but only its breaking notes reach the release notes). */
  isMerge: z.boolean().optional(),
});
export type PlannedCommit = z.infer<typeof PlannedCommit>;

const BumpKind = z.enum(['major', 'minor', 'patch']);

/**
 * Where the current version was read: package.json (a cut bumps it), or the tags (no
 * package.json, a placeholder such as `0.0.0-development`, or a platform saying so: a cut only tags).
 */
const VersionSource = z.enum(['package.json', 'tags']);

export const ReleasePlan = z.strictObject({
  service: z.string(),
  currentVersion: z.string(),
  versionSource: VersionSource.optional(),
  latestTag: z.string().optional(),
  commits: z.array(PlannedCommit),
  suggestedBump: BumpKind.optional(),
  nextVersions: z.strictObject({ major: z.string(), minor: z.string(), patch: z.string() }),
  branch: z.string(),
  recentLog: z.array(z.strictObject({ hash: z.string(), subject: z.string(), author: z.string(), date: z.string() })),
});
export type ReleasePlan = z.infer<typeof ReleasePlan>;

export const ReleasePreview = z.strictObject({
  service: z.string(),
  bump: BumpKind,
  currentVersion: z.string(),
  versionSource: VersionSource.optional(),
  version: z.string(),
  tag: z.string(),
  /** Absent when the version lives in tags: the cut tags HEAD and makes no commit. */
  commitMessage: z.string().optional(),
  files: z.array(ReleaseFileChange),
  notes: z.string(),
  checks: z.array(PreparationCheck),
  canCut: z.boolean(),
});
export type ReleasePreview = z.infer<typeof ReleasePreview>;

export const ReleaseHistoryEntry = z.strictObject({
  tag: z.string(),
  version: z.string(),
  /** When the tag was made. */
  date: z.string(),
  /** Who made it: the tagger of an annotated tag, else the author of the tagged commit. */
  author: z.string(),
  commit: z.string(),
  /** The tag's message (the release notes of a cut made here); empty for a lightweight tag. */
  notes: z.string(),
});
export type ReleaseHistoryEntry = z.infer<typeof ReleaseHistoryEntry>;

export const ReleaseHistory = z.strictObject({
  service: z.string(),
  releases: z.array(ReleaseHistoryEntry),
});
export type ReleaseHistory = z.infer<typeof ReleaseHistory>;

export const ReleaseResult = z.strictObject({
  service: z.string(),
  version: z.string(),
  tag: z.string(),
  commit: z.string(),
  notesFile: z.string(),
});
export type ReleaseResult = z.infer<typeof ReleaseResult>;

export const ReleaseCalendar = z.strictObject({
  timeZone: z.string(),
  /** ISO date, in the platform's time zone. */
  nextProductionRelease: z.string(),
  productionEveryWeeks: z.number().int(),
  productionWeekday: z.string(),
  staging: z.string(),
  hotfix: z.string(),
  windows: z.array(
    z.strictObject({ environment: z.string(), slots: z.array(z.string()), nextOpenings: z.array(z.string()) }),
  ),
  closedDays: z.array(z.string()),
});
export type ReleaseCalendar = z.infer<typeof ReleaseCalendar>;

export const CiStatus = z.strictObject({
  provider: z.enum(['github', 'none']),
  ref: z.string(),
  commit: z.string().optional(),
  /** success: every check passed; failure: one failed; pending: running or none yet; unknown: CI unreachable. */
  state: z.enum(['success', 'failure', 'pending', 'unknown', 'none']),
  checks: z.array(
    z.strictObject({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().optional(),
      url: z.string().optional(),
    }),
  ),
  image: z
    .strictObject({ reference: z.string(), exists: z.boolean().optional(), detail: z.string().optional() })
    .optional(),
  detail: z.string().optional(),
});
export type CiStatus = z.infer<typeof CiStatus>;

/** The commands of this domain, by channel. */
export const releaseCommands = {
  'release:plan': {
    summary: 'Commits since the latest tag, parsed as conventional commits, with the suggested bump.',
    input: z.strictObject({ service: EntityId }),
    output: ReleasePlan,
  },
  'release:preview': {
    summary: 'Dry run of a cut: new version, file changes, commit, tag, notes and checks — nothing written.',
    input: z.strictObject({ service: EntityId, bump: BumpKind }),
    output: ReleasePreview,
  },
  'release:ci': {
    summary: 'CI state of a tag or commit (default: the latest tag) and whether its image exists.',
    input: z.strictObject({
      service: EntityId,
      ref: z
        .string()
        .regex(/^[A-Za-z0-9._/-]{1,100}$/)
        .optional(),
    }),
    output: CiStatus,
  },
  'release:history': {
    summary: 'The releases of a service, newest first: tag, date, who made it and its notes.',
    input: z.strictObject({ service: EntityId, limit: z.number().int().min(1).max(200).optional() }),
    output: ReleaseHistory,
  },
  'release:calendar': {
    summary: 'Next production release, staging cadence, hotfix rule and when deployment windows open.',
    input: noInput,
    output: ReleaseCalendar,
  },
  'release:cut': {
    summary: 'Bumps, commits, tags and pushes a release (refuses, changing nothing, if a check fails).',
    input: z.strictObject({ service: EntityId, bump: BumpKind, expectedVersion: z.string().max(50).optional() }),
    output: ReleaseResult,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;
