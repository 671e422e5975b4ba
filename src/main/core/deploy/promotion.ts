/**
 * Promotion staging → production (the manual's flow): offered only when a successful staging run
 * deployed the very versions staging runs now; then, per service, the tested tag is merged into
 * main with `--no-ff` (bringing the tag into main's history), pushed (never forced), and
 * production is deployed with those versions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PromotionOffer } from '../../../shared/contract';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import { runGit } from '../git/hardened-git';
import type { Platform } from '../platform/schema';
import type { ManagedRepos } from '../git/managed-repos';
import type { HealthProber } from '../health/prober';
import { runningVersions } from './targets';
import { badVersions, describeMark, markOf, type BadVersions } from './version-marks';

export interface PromotionInput {
  platform: Platform;
  from: string;
  to: string;
  /** What each service reports running, per environment. */
  fromRunning: Record<string, string | undefined>;
  toRunning: Record<string, string | undefined>;
  records: LedgerRecord[];
  /** Versions marked bad: never offered. */
  badVersions?: BadVersions;
}

/** Pure: which versions may be promoted, and why or why not. */
export function promotionOffer(input: PromotionInput): PromotionOffer {
  const { from, to } = input;
  const proven = new Map<string, { version: string; runId: string }[]>();
  for (const record of input.records) {
    if (record.action !== 'deploy.finished' || record.status !== 'succeeded' || record.environment !== from) continue;
    const steps = (record.details?.steps ?? []) as { service: string; version: string; status: string }[];
    for (const step of steps)
      if (step.status === 'succeeded' || step.status === 'skipped')
        proven.set(step.service, [
          ...(proven.get(step.service) ?? []),
          { version: step.version, runId: record.correlationId ?? '' },
        ]);
  }
  const candidates = input.platform.services.filter(
    (service) =>
      service.environments[to] &&
      input.fromRunning[service.id] !== undefined &&
      input.fromRunning[service.id] !== input.toRunning[service.id],
  );
  const base = { from, to, versions: {} as Record<string, string> };
  if (candidates.length === 0)
    return { ...base, isOffered: false, reason: `${to} already runs what ${from} runs: there is nothing to promote.` };
  const marked = candidates
    .map((service) => input.badVersions && markOf(input.badVersions, service.id, input.fromRunning[service.id]))
    .filter((mark) => mark !== undefined);
  if (marked.length > 0)
    return {
      ...base,
      isOffered: false,
      reason: `${marked.map(describeMark).join('; ')}: ${to} keeps what it runs. Deploy a good version to ${from} first, or mark it good again.`,
    };
  const unproven = candidates.filter(
    (service) => !proven.get(service.id)?.some((proof) => proof.version === input.fromRunning[service.id]),
  );
  const versions = Object.fromEntries(candidates.map((service) => [service.id, input.fromRunning[service.id]!]));
  if (unproven.length > 0)
    return {
      ...base,
      versions,
      isOffered: false,
      reason: `No successful ${from} run deployed ${unproven
        .map((service) => `${service.id} v${input.fromRunning[service.id]}`)
        .join(', ')}: deploy these versions to ${from} first.`,
    };
  const runIds = candidates.map(
    (service) => proven.get(service.id)!.findLast((proof) => proof.version === input.fromRunning[service.id])!.runId,
  );
  return {
    ...base,
    versions,
    isOffered: true,
    stagingRunId: runIds.sort().at(-1),
    reason: `${from} deployed ${candidates.map((service) => `${service.id} v${versions[service.id]}`).join(', ')} successfully.`,
  };
}

export interface PromotionRepo {
  path: string;
  mainBranch: string;
  remote?: string;
}

/**
 * Merges the tested tag into main with `--no-ff` in a temporary worktree (the user's checkout is
 * never touched), tags the merge if the tag is missing, and pushes main without force.
 */
export async function mergeForPromotion(
  repo: PromotionRepo,
  version: string,
  log: (text: string) => void,
): Promise<string> {
  const remote = repo.remote ?? 'origin';
  const tag = `v${version}`;
  const git = (args: string[], cwd = repo.path) => runGit(args, { cwd });
  await git(['fetch', '--quiet', '--tags', remote]);
  const hasTag = await git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]).then(
    () => true,
    () => false,
  );
  if (!hasTag)
    throw new CockpitError(
      'NOT_FOUND',
      `${path.basename(repo.path)} has no tag ${tag}: cut the release before promoting it.`,
    );
  const mainRef = `refs/remotes/${remote}/${repo.mainBranch}`;
  const isMerged = await git(['merge-base', '--is-ancestor', `refs/tags/${tag}`, mainRef]).then(
    () => true,
    () => false,
  );
  if (isMerged) {
    log(`${tag} is already on ${repo.mainBranch}.\n`);
    return `${tag} already on ${repo.mainBranch}`;
  }
  const worktree = await mkdtemp(path.join(os.tmpdir(), 'cockpit-promote-'));
  try {
    await git(['worktree', 'add', '--quiet', '--detach', '--', worktree, mainRef]);
    await git(
      [
        'merge',
        '--quiet',
        '--no-ff',
        '--no-edit',
        '-m',
        `chore(release): promote ${tag} to production`,
        `refs/tags/${tag}`,
      ],
      worktree,
    );
    const commit = (await git(['rev-parse', 'HEAD'], worktree)).trim();
    log(`Merged ${tag} into ${repo.mainBranch} with --no-ff (${commit.slice(0, 7)}).\n`);
    await git(['push', '--quiet', remote, `HEAD:refs/heads/${repo.mainBranch}`], worktree);
    log(`Pushed ${repo.mainBranch} to ${remote}.\n`);
    // Fast-forward the local main branch when it is not checked out; harmless if it cannot.
    await git(['fetch', '--quiet', remote, `${repo.mainBranch}:${repo.mainBranch}`]).catch(() => undefined);
    return `merged ${tag} into ${repo.mainBranch} (${commit.slice(0, 7)})`;
  } catch (error) {
    if (error instanceof CockpitError && error.code === 'GIT_FAILED')
      throw new CockpitError(
        'GIT_FAILED',
        `Promoting ${tag} of ${path.basename(repo.path)} stopped: ${error.message} Nothing was pushed; ${repo.mainBranch} on ${remote} is unchanged.`,
      );
    throw error;
  } finally {
    await git(['worktree', 'remove', '--force', '--', worktree]).catch(() => undefined);
    await rm(worktree, { recursive: true, force: true });
  }
}

/** Whether production may receive what staging runs; a version marked bad is never offered. */
export async function currentPromotionOffer(
  platform: Platform,
  prober: HealthProber,
  trustedRecords: () => Promise<LedgerRecord[]>,
): Promise<PromotionOffer> {
  const from = platform.environments.find((environment) => !environment.protected);
  const to = platform.environments.find((environment) => environment.protected);
  if (!from || !to)
    return {
      isOffered: false,
      reason: 'Promotion needs an unprotected environment (staging) and a protected one (production).',
      versions: {},
    };
  const ids = platform.services.map((service) => service.id);
  const [fromRunning, toRunning, records] = await Promise.all([
    runningVersions(platform, from.id, prober, ids),
    runningVersions(platform, to.id, prober, ids),
    trustedRecords(),
  ]);
  return promotionOffer({
    platform,
    from: from.id,
    to: to.id,
    fromRunning,
    toRunning,
    records,
    badVersions: badVersions(records),
  });
}

/** Merges each promoted service's tested tag into its main branch (--no-ff) and pushes. */
export async function mergePromotedTags(
  platform: Platform,
  managed: ManagedRepos | undefined,
  planned: Record<string, string>,
): Promise<void> {
  for (const id of Object.keys(planned)) {
    const service = platform.services.find((candidate) => candidate.id === id)!;
    if (managed?.isManaged(id)) await managed.folderOf(id);
    if (!service.repo.path) continue;
    await mergeForPromotion(
      { path: service.repo.path, mainBranch: service.repo.mainBranch },
      planned[id]!,
      () => undefined,
    );
  }
}
