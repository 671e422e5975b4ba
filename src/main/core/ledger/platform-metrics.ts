/**
 * A platform's metrics: the ledger's KPIs with the lead time for changes read from git — the
 * commits between each delivered release's tag and the tag before it (release commits left out).
 * A service without a local repository, or a tag git does not know, counts for nothing.
 */
import { runGit } from '../git/hardened-git';
import type { Platform } from '../platform/schema';
import { commitsBetween } from '../release/release-repo';
import { isReleaseCommit } from '../release/conventional-commit';
import type { LedgerRecord } from '../../../shared/ledger-record';
import {
  computeMetrics,
  deliveredReleases,
  releaseKey,
  type DeliveredRelease,
  type MetricsPeriod,
  type MetricsReport,
} from './metrics';

export async function releaseCommitTimes(
  platform: Platform,
  releases: DeliveredRelease[],
): Promise<Map<string, Date[]>> {
  const times = new Map<string, Date[]>();
  const unique = [
    ...new Map(releases.map((release) => [releaseKey(release.service, release.version), release])).values(),
  ];
  await Promise.all(
    unique.map(async ({ service, version }) => {
      const repoPath = platform.services.find((candidate) => candidate.id === service)?.repo.path;
      if (!repoPath || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) return;
      const tag = `refs/tags/v${version}`;
      try {
        const previous = await runGit(['describe', '--tags', '--abbrev=0', '--match', 'v[0-9]*', `${tag}^`], {
          cwd: repoPath,
        }).then(
          (output) => `refs/tags/${output.trim()}`,
          () => undefined,
        );
        const commits = await commitsBetween(repoPath, previous, tag);
        times.set(
          releaseKey(service, version),
          commits.filter((commit) => !isReleaseCommit(commit)).map((commit) => new Date(commit.date)),
        );
      } catch {
        // A tag this clone does not have: the release counts for nothing.
      }
    }),
  );
  return times;
}

/** The KPIs of an environment over a period, lead time included. */
export async function platformMetrics(
  platform: Platform,
  records: LedgerRecord[],
  environment: string,
  period: MetricsPeriod,
): Promise<MetricsReport> {
  const releases = deliveredReleases({ records, environment, period });
  return computeMetrics({ records, environment, period, commitTimes: await releaseCommitTimes(platform, releases) });
}
