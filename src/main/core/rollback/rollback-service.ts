/**
 * Rollbacks from the app: triage (symptom → live state, last deployments, recommended level) and
 * level 1 walked in the background, its progress sent as events.
 */
import { randomUUID } from 'node:crypto';
import type { RollbackTriage } from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { EventBus } from '../event-bus';
import { currentHealth } from '../deploy/targets';
import type { ProviderFactory } from '../deploy/provider';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import { levelOneSteps, levelOneTargetMinutes, type LevelOneContext } from './level-one';
import { previousStableVersion } from './previous-stable';
import { walk } from './step-machine';

export const symptoms = ['functional-bug', 'service-loss', 'data-corruption', 'security-breach'] as const;
export type Symptom = (typeof symptoms)[number];

/** The manual's answer to each symptom. */
const recommendations: Record<Symptom, { level: 1 | 2 | 3; why: string }> = {
  'service-loss': {
    level: 1,
    why: 'A critical error or a lost service: get back to the last version that worked, fast.',
  },
  'security-breach': { level: 1, why: 'A breach: leave the exposed version at once, then fix forward or revert.' },
  'functional-bug': { level: 2, why: 'A functional bug: revert the bad commit and release a patch.' },
  'data-corruption': { level: 3, why: 'Corrupted data: restore the database from a backup.' },
};

export const levels = [
  { level: 1, title: 'Redeploy the previous stable version', targetMinutes: levelOneTargetMinutes },
  { level: 2, title: 'Revert the bad commit and redeploy', targetMinutes: 15 },
  { level: 3, title: 'Restore the database', targetMinutes: 60 },
] as const;

export interface RollbackServiceOptions {
  platform: Platform;
  dataDir: string;
  prober: HealthProber;
  audit: AuditTrail;
  events: EventBus;
  providers?: ProviderFactory;
}

export class RollbackService {
  private readonly running = new Set<string>();

  constructor(private readonly options: RollbackServiceOptions) {}

  async triage(service: string, environment: string, symptom: Symptom): Promise<RollbackTriage> {
    this.requireService(service, environment);
    const { platform, prober, audit } = this.options;
    const [health, records] = await Promise.all([
      currentHealth(platform, environment, prober, [service]),
      audit.ledger.readAll(),
    ]);
    const now = health.get(service);
    const recommendation = recommendations[symptom];
    return {
      service,
      environment,
      symptom,
      health: { status: now?.status ?? 'unknown', version: now?.version, detail: now?.error },
      previousStable: previousStableVersion(records, service, environment, now?.version),
      lastDeployments: records
        .filter(
          (record) =>
            record.action === 'deploy.step' && record.environment === environment && record.services?.includes(service),
        )
        .slice(-5)
        .reverse()
        .map((record) => ({
          at: record.time,
          from: record.versionFrom,
          to: record.versionTo,
          status: record.status,
          by: record.actor.name,
        })),
      recommendedLevel: recommendation.level,
      why: recommendation.why,
      levels: levels.map((candidate) => ({
        ...candidate,
        isAvailable: candidate.level === 1,
        note:
          candidate.level === 1
            ? 'Changes the running service only; the data and the repositories stay as they are.'
            : 'Not in the wizard yet: follow the runbook in the release manual.',
      })),
    };
  }

  /** Starts level 1 in the background; progress arrives as `rollback:progress`. */
  start(service: string, environment: string, to?: string): { rollbackId: string } {
    this.requireService(service, environment);
    const key = `${environment}/${service}`;
    if (this.running.has(key))
      throw new CockpitError('LOCKED', `A rollback of ${service} in ${environment} is already running.`);
    const { platform, events } = this.options;
    const rollbackId = `rollback-${new Date()
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
    this.running.add(key);
    const began = Date.now();
    void (async () => {
      const context: LevelOneContext = {
        platform,
        service,
        environment,
        prober: this.options.prober,
        records: await this.options.audit.ledger.readAll(),
        dataDir: this.options.dataDir,
        audit: this.options.audit,
        providers: this.options.providers,
        target: to,
        runId: rollbackId,
      };
      const result = await walk({
        level: 1,
        service,
        environment,
        steps: levelOneSteps(),
        context,
        audit: this.options.audit,
        correlationId: rollbackId,
        onProgress: (steps) =>
          events.emit('rollback:progress', {
            rollbackId,
            status: 'running',
            steps,
            leftToDo: [],
            elapsedMs: Date.now() - began,
          }),
      });
      events.emit('rollback:progress', {
        rollbackId,
        status: result.status,
        steps: result.steps,
        leftToDo: result.leftToDo,
        elapsedMs: Date.now() - began,
      });
    })()
      .catch((error: unknown) =>
        events.emit('rollback:progress', {
          rollbackId,
          status: 'failed',
          steps: [],
          leftToDo: [
            `The rollback stopped unexpectedly (${(error as Error).message}): check ${service} in the matrix.`,
          ],
          elapsedMs: Date.now() - began,
        }),
      )
      .finally(() => this.running.delete(key));
    return { rollbackId };
  }

  private requireService(service: string, environment: string) {
    const config = this.options.platform.services.find((candidate) => candidate.id === service)?.environments[
      environment
    ];
    if (!config)
      throw new CockpitError(
        'NOT_FOUND',
        `${this.options.platform.name} has no service "${service}" in "${environment}".`,
      );
    return config;
  }
}
