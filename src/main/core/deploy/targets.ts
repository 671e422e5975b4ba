/**
 * Default deploy targets: staging gets each service's latest tag; a protected environment gets
 * what the non-protected one runs (the manual's promotion). And what each service runs now.
 */
import { readRepoState } from '../git/repo-state';
import { currentHealth } from '../health/current-health';
import type { HealthProber } from '../health/prober';
import type { Platform } from '../platform/schema';
import { requireVersion } from './versions';

export async function defaultTargets(
  platform: Platform,
  environment: string,
  prober: HealthProber,
  selected?: string[],
): Promise<Record<string, string>> {
  const services = platform.services.filter(
    (service) => (!selected || selected.includes(service.id)) && service.environments[environment],
  );
  const target = platform.environments.find((candidate) => candidate.id === environment);
  const targets: Record<string, string> = {};
  if (!target) return targets;
  if (target.protected) {
    const source = platform.environments.find((candidate) => !candidate.protected);
    if (!source) return targets;
    const running = await runningVersions(
      platform,
      source.id,
      prober,
      services.map((service) => service.id),
    );
    // What staging reports becomes production's target: only a real version may.
    for (const service of services) {
      const reported = running[service.id];
      if (reported !== undefined)
        targets[service.id] = requireVersion(reported, `The version ${service.id} reports in ${source.name}`);
    }
    return targets;
  }
  await Promise.all(
    services.map(async (service) => {
      if (!service.repo.path) return;
      const state = await readRepoState({
        path: service.repo.path,
        mainBranch: service.repo.mainBranch,
        developBranch: service.repo.developBranch,
        versionFile: service.version.file,
      });
      if (state.latestTag) targets[service.id] = state.latestTag.replace(/^v/, '');
    }),
  );
  return targets;
}

export async function runningVersions(
  platform: Platform,
  environment: string,
  prober: HealthProber,
  ids: string[],
): Promise<Record<string, string | undefined>> {
  const health = await currentHealth(platform, environment, prober, ids);
  return Object.fromEntries([...health].map(([service, result]) => [service, result?.version]));
}
