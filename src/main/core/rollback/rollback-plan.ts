/**
 * One rollback request → the level's steps, its context and its cleanup, built the same way for
 * the wizard and the command line. Level 3 is checked first: the typed confirmation must name the
 * environment, and the person must hold the role allowed to restore data.
 */
import type { CiStatus } from '../../../shared/contract';
import type { LedgerRecord } from '../../../shared/ledger-record';
import type { ProviderFactory } from '../deploy/provider';
import { CockpitError } from '../errors';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import { requirePermission, type Identity } from '../policy/roles';
import { levelOneSteps, levelOneTargetMinutes } from './level-one';
import { levelThreeSteps, levelThreeTargetMinutes, requireRestoreScope } from './level-three';
import { levelTwoCleanup, levelTwoSteps, levelTwoTargetMinutes } from './level-two';
import type { RollbackStep } from './step-machine';

export type RollbackLevel = 1 | 2 | 3;

export const levelTargets: Record<RollbackLevel, number> = {
  1: levelOneTargetMinutes,
  2: levelTwoTargetMinutes,
  3: levelThreeTargetMinutes,
};

export interface RollbackRequest {
  level: RollbackLevel;
  service: string;
  environment: string;
  /** Level 1: the version to go back to (the previous stable one by default). */
  to?: string;
  /** Level 2: the commits to revert. */
  commits?: string[];
  /** Level 3: the backup to restore, and the environment's name typed to confirm. */
  backup?: string;
  confirmation?: string;
}

export interface RollbackDependencies {
  platform: Platform;
  prober: HealthProber;
  records: LedgerRecord[];
  dataDir: string;
  audit?: AuditTrail;
  providers: ProviderFactory;
  runId: string;
  /** Who runs it (level 3 needs the role). */
  identity: Identity;
  /** The CI state of a tag; left out when the platform has no CI. */
  ciStatus?: (service: string, tag: string) => Promise<CiStatus>;
  /** The version the service last reported, when it does not answer now (level 2 works offline). */
  lastKnownVersion?: string;
  /** For tests: shorter waits. */
  healthTimeoutMs?: number;
}

export interface PreparedRollback {
  level: RollbackLevel;
  targetMinutes: number;
  // The context's type depends on the level; the steps and the cleanup agree with it.
  steps: RollbackStep<object>[];
  context: object;
  cleanup?: (context: object) => Promise<void>;
  /** Levels 1 and 2: the version the walk moves away from, marked bad once it succeeded. */
  rolledBackFrom?: (context: object) => string | undefined;
}

/** A short id for a rollback run, sortable by time. */
export function rollbackRunId(now: Date, random: string): string {
  return `rollback-${now
    .toISOString()
    .replaceAll(':', '-')
    .replace(/\.\d+Z$/, 'Z')}-${random.slice(0, 8)}`;
}

export function prepareRollback(request: RollbackRequest, dependencies: RollbackDependencies): PreparedRollback {
  const { platform } = dependencies;
  const { service, environment } = request;
  if (!platform.services.find((candidate) => candidate.id === service)?.environments[environment])
    throw new CockpitError('NOT_FOUND', `${platform.name} has no service "${service}" in "${environment}".`);
  const base = { ...dependencies, service, environment };
  switch (request.level) {
    case 1:
      return erase(1, levelOneSteps(), {
        ...base,
        target: request.to?.replace(/^v/, ''),
        lastKnownVersion: dependencies.lastKnownVersion,
      });
    case 2: {
      const commits = request.commits ?? [];
      if (commits.length === 0)
        throw new CockpitError('BAD_INPUT', 'A level 2 rollback needs the commits to revert (their hashes).');
      const bad = commits.find((commit) => !/^[0-9a-f]{7,40}$/i.test(commit));
      if (bad) throw new CockpitError('BAD_INPUT', `"${bad}" is not a commit hash (7 to 40 hexadecimal digits).`);
      const ciStatus = dependencies.ciStatus;
      const hasCi = platform.ci.provider !== 'none' && ciStatus !== undefined;
      return erase(
        2,
        levelTwoSteps(platform, service, environment),
        { ...base, commits, ciStatus: hasCi ? (tag: string) => ciStatus(service, tag) : undefined },
        levelTwoCleanup(platform, service, environment),
      );
    }
    case 3: {
      authorizeLevelThree(platform, dependencies.identity, environment, request.confirmation);
      if (!request.backup) throw new CockpitError('BAD_INPUT', 'A level 3 rollback needs the backup to restore.');
      const scope = requireRestoreScope(platform, service, environment);
      return erase(3, levelThreeSteps(platform, scope), {
        ...base,
        backupId: request.backup,
        stopped: [],
        healthTimeoutMs: dependencies.healthTimeoutMs,
      });
    }
  }
}

/** Level 3 restores data: the environment's name typed exactly, and the role that may. */
export function authorizeLevelThree(
  platform: Platform,
  identity: Identity,
  environment: string,
  confirmation: string | undefined,
): void {
  const target = platform.environments.find((candidate) => candidate.id === environment);
  if (confirmation === undefined || (confirmation !== environment && confirmation !== target?.name))
    throw new CockpitError(
      'CONFIRMATION_REQUIRED',
      `A database restore replaces the data of ${environment}: type the environment's name ("${environment}") to confirm.`,
    );
  requirePermission(platform, identity, 'rollback-level-3', `Restoring the ${environment} database`);
}

/** Keeps each level's context type inside this file; callers handle the steps as a whole. */
function erase<Context extends object>(
  level: RollbackLevel,
  steps: RollbackStep<Context>[],
  context: Context,
  cleanup?: (context: Context) => Promise<void>,
): PreparedRollback {
  return {
    level,
    targetMinutes: levelTargets[level],
    steps: steps as unknown as RollbackStep<object>[],
    context,
    cleanup: cleanup as ((context: object) => Promise<void>) | undefined,
    // Levels 1 and 2 move the service off the version it ran: that version is bad.
    ...(level === 3 ? {} : { rolledBackFrom: (done: object) => (done as { running?: string }).running }),
  };
}

/**
 * A level 3 rollback's authority, recorded (and signed) before its first step: if the record
 * cannot be written — no signing key, a key not in the roster — nothing is restored.
 */
export async function recordLevelThreeStart(
  audit: AuditTrail,
  request: RollbackRequest & { reason?: string },
  rollbackId: string,
): Promise<void> {
  if (request.level !== 3) return;
  await audit.record([
    {
      action: 'rollback.started',
      status: 'info',
      correlationId: rollbackId,
      environment: request.environment,
      services: [request.service],
      summary: `Level 3 rollback of ${request.service} in ${request.environment}: restore ${request.backup ?? 'a backup'}${request.reason ? ` (${request.reason})` : ''}`,
      details: { level: 3, backup: request.backup, ...(request.reason ? { reason: request.reason } : {}) },
    },
  ]);
}
