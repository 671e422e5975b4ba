/**
 * A deploy plan: for an environment and target versions, the steps in dependency order grouped in
 * waves; a service that already runs its target version is skipped (deploying is idempotent),
 * and a service kept where it is (its default target is marked bad) is skipped saying why.
 * Pure: versions running now and target versions come in as data.
 */
import { dependencyWaves } from '../platform/dependency-order';
import type { Platform } from '../platform/schema';
import { isReleaseVersion, requireVersion } from './versions';

export interface PlannedStep {
  service: string;
  /** Target version, without `v`. */
  version: string;
  /** What the service reports running now, if anything. */
  runningVersion?: string;
  action: 'deploy' | 'skip';
  reason: string;
  /** The services of this plan it waits for. */
  dependsOn: string[];
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
  /** Services kept at what they run, with why (their default target is marked bad). */
  keep?: Record<string, { version: string; reason: string }>;
}

/** The plan; BAD_INPUT when a target is not a version (naming the service and the value). */
export function planDeploy(input: PlanInput): DeployPlan {
  const { platform, environment, running } = input;
  const targets: Record<string, string> = { ...input.targets };
  for (const [service, kept] of Object.entries(input.keep ?? {})) targets[service] ??= kept.version;
  const selected = platform.services.filter(
    (service) => targets[service.id] !== undefined && service.environments[environment],
  );
  const nodes = selected.map((service) => ({
    id: service.id,
    dependsOn: service.dependsOn.filter((id) => targets[id] !== undefined),
  }));
  const dependencies = new Map(nodes.map((node) => [node.id, node.dependsOn]));
  return {
    environment,
    waves: dependencyWaves(nodes).map((wave) =>
      wave.map((node): PlannedStep => {
        const dependsOn = dependencies.get(node.id) ?? [];
        const reported = running[node.id];
        // A version a service reports that is not SemVer is shown as unknown, never used.
        const runningVersion =
          reported !== undefined && isReleaseVersion(reported) ? reported.replace(/^v/, '') : undefined;
        const kept = input.keep?.[node.id];
        if (kept)
          return {
            service: node.id,
            version: kept.version,
            runningVersion,
            action: 'skip',
            reason: kept.reason,
            dependsOn,
          };
        const version = requireVersion(targets[node.id]!, `The target version of ${node.id}`);
        if (runningVersion === version)
          return {
            service: node.id,
            version,
            runningVersion,
            action: 'skip',
            reason: `already runs v${version}`,
            dependsOn,
          };
        return {
          service: node.id,
          version,
          runningVersion,
          action: 'deploy',
          reason: runningVersion ? `v${runningVersion} → v${version}` : `→ v${version}`,
          dependsOn,
        };
      }),
    ),
  };
}

/** A step as plans keep and show it (a rollback image never leaves the run that uses it). */
export function stepFields(step: PlannedStep) {
  return {
    service: step.service,
    version: step.version,
    ...(step.runningVersion ? { runningVersion: step.runningVersion } : {}),
    action: step.action,
    reason: step.reason,
    dependsOn: step.dependsOn,
  };
}

/** Every service a plan names, those it leaves as they are too (a hold stops them all). */
export function planServices(plan: DeployPlan, chosen: readonly string[] = []): string[] {
  return [...new Set([...plan.waves.flat().map((step) => step.service), ...chosen])];
}
