/**
 * A deploy plan: for an environment and target versions, the steps in dependency order grouped in
 * waves; a service that already runs its target version is skipped (deploying is idempotent).
 * Pure: versions running now and target versions come in as data.
 */
import { dependencyWaves } from '../platform/dependency-order';
import type { Platform } from '../platform/schema';

export interface PlannedStep {
  service: string;
  /** Target version, without `v`. */
  version: string;
  /** What the service reports running now, if anything. */
  runningVersion?: string;
  action: 'deploy' | 'skip';
  reason: string;
  /** A level 1 rollback: the provider's previous image to redeploy as it is. */
  rollbackImage?: string;
}

export interface DeployPlan {
  environment: string;
  waves: PlannedStep[][];
}

export interface PlanInput {
  platform: Platform;
  environment: string;
  /** Target version per service (only these services are deployed). */
  targets: Record<string, string>;
  /** Version each service reports in the environment now. */
  running: Record<string, string | undefined>;
}

export function planDeploy(input: PlanInput): DeployPlan {
  const { platform, environment, targets, running } = input;
  const selected = platform.services.filter(
    (service) => targets[service.id] !== undefined && service.environments[environment],
  );
  const waves = dependencyWaves(
    selected.map((service) => ({
      id: service.id,
      dependsOn: service.dependsOn.filter((id) => targets[id] !== undefined),
    })),
  );
  return {
    environment,
    waves: waves.map((wave) =>
      wave.map((node) => {
        const version = targets[node.id]!.replace(/^v/, '');
        const runningVersion = running[node.id];
        return runningVersion === version
          ? { service: node.id, version, runningVersion, action: 'skip', reason: `already runs v${version}` }
          : {
              service: node.id,
              version,
              runningVersion,
              action: 'deploy',
              reason: runningVersion ? `v${runningVersion} → v${version}` : `→ v${version}`,
            };
      }),
    ),
  };
}
