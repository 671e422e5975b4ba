/**
 * Rollbacks from the app: triage (symptom → live and last-known state, last deployments,
 * recommended level, each level's runbook), the choices of levels 2 and 3, and the walk itself in
 * the background. The walk asks before each step that changes something and after a failure;
 * the answers come back through `decide`. Progress, output (redacted) and the notices filled from
 * what is known go out as events.
 */
import { randomUUID } from 'node:crypto';

import { setTimeout as sleep } from 'node:timers/promises';

import type { CiStatus, MatrixCell, RollbackChoices, RollbackTriage } from '../../../shared/contract';
import { etaText, maintenanceNotice, rollbackNotice, userImpactThresholdMs } from '../comms/notices';

import { currentHealth } from '../health/current-health';

import type { ProviderFactory } from '../deploy/provider';

import { CockpitError } from '../errors';

import type { EventBus } from '../event-bus';

import type { HealthProber } from '../health/prober';

import type { AuditTrail } from '../ledger/audit-trail';

import type { Redactor } from '../logs/redactor';

import { TerminalTextFilter } from '../../../shared/terminal-text';

import { TimedStreamRedactor } from '../logs/stream-redactor';

import type { Platform } from '../platform/schema';

import type { Identity } from '../policy/roles';

import { listBackups } from './backups';

import { requireRestoreScope, restoreScope } from './level-three';
import type { ManagedRepos } from '../git/managed-repos';

import { revertCandidates, revertRange, revertTarget } from './level-two';
import { networkTargets, unreachable, isHostReachable, type ReachabilityCheck } from './network-check';

import { previousStableVersion } from './previous-stable';

import { prepareRollback, recordLevelThreeStart, rollbackRunId, type RollbackRequest } from './rollback-plan';
import { walk, type RollbackStep, type StepProgress } from './step-machine';

import { levelSummary, recommendations, symptomReason, type Symptom } from './triage-levels';

export { symptoms, type Symptom } from './triage-levels';

export type Decision = 'continue' | 'retry' | 'abandon';

export interface RollbackServiceOptions {
  platform: Platform;
  dataDir: string;
  prober: HealthProber;
  audit: AuditTrail;
  events: EventBus;
  redactor: Redactor;
  identity: Identity;
  providers: ProviderFactory;
  ciStatus?: (service: string, tag: string) => Promise<CiStatus>;
  /** The matrix's last-known cell of a service, for triage when it does not answer. */
  lastKnown?: (service: string, environment: string) => MatrixCell | undefined;
  isReachable?: ReachabilityCheck;
  networkRetryMs?: number;
  clock?: () => Date;
  /** The clones the cockpit manages: a level 2 fetches (or makes) the service's first. */
  managedRepos?: ManagedRepos;
}

interface Run {
  id: string;
  request: RollbackRequest;
  reason: string;
  targetMinutes: number;
  /** When it began, for the ETA (the platform's clock). */
  startedAt: Date;
  /** When it began, for the elapsed time against the target (the machine's own time). */
  beganAtMs: number;
  affected: string[];
  context: NoticeContext;
  status: 'running' | 'succeeded' | 'failed' | 'abandoned';
  steps: StepProgress[];
  leftToDo: string[];
  awaiting?: { kind: 'confirm' | 'retry'; stepId: string; question: string; answer: (decision: Decision) => void };
  isAbandoned: boolean;
}

/** What the notices read from a walk's context, whichever the level. */
interface NoticeContext {
  running?: string;
  target?: string;
  patchVersion?: string;
  backupId?: string;
}

export class RollbackService {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly options: RollbackServiceOptions) {}

  /** A rollback is being walked in this cockpit. */
  isBusy(): boolean {
    return [...this.runs.values()].some((run) => run.status === 'running');
  }

  async triage(service: string, environment: string, symptom: Symptom): Promise<RollbackTriage> {
    this.requireService(service, environment);
    const { platform, prober, audit } = this.options;
    const [health, records] = await Promise.all([
      currentHealth(platform, environment, prober, [service]),
      audit.ledger.readAll(),
    ]);
    const now = health.get(service);
    const cell = now?.status === 'up' ? undefined : this.options.lastKnown?.(service, environment);
    const recommendation = recommendations[symptom];
    return {
      service,
      environment,
      symptom,
      health: { status: now?.status ?? 'unknown', version: now?.version, detail: now?.error },
      ...(cell
        ? { lastKnown: { version: cell.deployedVersion, lastUpAt: cell.lastUpAt, checkedAt: cell.checkedAt } }
        : {}),
      previousStable: previousStableVersion(records, service, environment, now?.version ?? cell?.deployedVersion),
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
      levels: ([1, 2, 3] as const).map((level) => levelSummary(this.options.platform, level, service, environment)),
    };
  }

  /** The commits a level 2 may revert, or the backups a level 3 may restore. */
  async choices(service: string, environment: string, level: 2 | 3): Promise<RollbackChoices> {
    this.requireService(service, environment);
    const { platform, prober, audit } = this.options;
    try {
      if (level === 2) {
        await this.prepareRepo(service);
        const repo = revertTarget(platform, service, environment);
        const range = await revertRange({
          platform,
          prober,
          service,
          environment,
          records: await audit.ledger.readAll(),
          lastKnownVersion: this.options.lastKnown?.(service, environment)?.deployedVersion,
        });
        if (!range.running)
          return {
            level,
            problem: `${service} does not report its version in ${environment}: the bad range is unknown.`,
          };
        if (!range.goodVersion)
          return {
            level,
            running: range.running,
            problem: `No earlier successful deploy of ${service} to ${environment} is in the ledger: the last good tag is unknown. Use level 1 with a version, or revert by hand.`,
          };
        const commits = await revertCandidates(repo.path, range.goodVersion, range.running);
        return {
          level,
          ...range,
          commits: commits.map((commit) => ({
            hash: commit.hash,
            subject: commit.subject,
            author: commit.author,
            date: commit.date,
          })),
        };
      }
      const scope = requireRestoreScope(platform, service, environment);
      const backups = await listBackups(platform, environment);
      return {
        level,
        affected: scope.affected,
        backups: backups.map((backup) => ({ id: backup.id, takenAt: backup.takenAt, sizeBytes: backup.sizeBytes })),
        ...(backups.length === 0 ? { problem: `No backup of ${environment} was found.` } : {}),
      };
    } catch (error) {
      if (error instanceof CockpitError) return { level, problem: error.message };
      throw error;
    }
  }

  /** Starts the walk in the background; progress arrives as `rollback:progress`. */
  /** A managed clone is made or fetched (offline: the last fetch is used, never waited on). */
  private async prepareRepo(service: string): Promise<void> {
    const managed = this.options.managedRepos;
    if (managed?.isManaged(service)) await managed.folderOf(service);
  }

  async start(request: RollbackRequest & { reason?: string }): Promise<{ rollbackId: string }> {
    const { service, environment } = request;
    this.requireService(service, environment);
    const active = [...this.runs.values()].find(
      (run) => run.status === 'running' && run.request.environment === environment && run.request.service === service,
    );
    if (active) throw new CockpitError('LOCKED', `A rollback of ${service} in ${environment} is already running.`);
    if (request.level === 2) await this.prepareRepo(service);
    const { platform, audit, events } = this.options;
    const now = this.now();
    const rollbackId = rollbackRunId(now, randomUUID());
    const prepared = prepareRollback(request, {
      platform,
      prober: this.options.prober,
      records: await audit.ledger.readAll(),
      dataDir: this.options.dataDir,
      audit,
      providers: this.options.providers,
      runId: rollbackId,
      identity: this.options.identity,
      ciStatus: this.options.ciStatus,
      lastKnownVersion: this.options.lastKnown?.(service, environment)?.deployedVersion,
    });
    await recordLevelThreeStart(audit, request, rollbackId);
    const run: Run = {
      id: rollbackId,
      request,
      reason: request.reason || symptomReason(request.level),
      targetMinutes: prepared.targetMinutes,
      startedAt: now,
      beganAtMs: Date.now(),
      affected: request.level === 3 ? restoreScope(platform, service, environment).affected : [service],
      context: prepared.context as NoticeContext,
      status: 'running',
      steps: [],
      leftToDo: [],
      isAbandoned: false,
    };
    this.runs.set(rollbackId, run);
    const output = new TimedStreamRedactor(this.options.redactor, (text) =>
      events.emit('rollback:output', { rollbackId, text }),
    );
    const controls = new TerminalTextFilter();
    const log = (chunk: string) => output.push(controls.push(chunk));
    const ask = (kind: 'confirm' | 'retry', step: { id: string; title: string }, question: string) =>
      new Promise<Decision>((resolve) => {
        run.awaiting = {
          kind,
          stepId: step.id,
          question,
          answer: (decision) => {
            run.awaiting = undefined;
            resolve(decision);
          },
        };
        this.announce(run);
      });
    void walk({
      level: request.level,
      service,
      environment,
      steps: prepared.steps,
      context: prepared.context,
      audit,
      correlationId: rollbackId,
      reason: run.reason,
      log,
      cleanup: prepared.cleanup,
      rolledBackFrom: prepared.rolledBackFrom,
      holdAfter: platform.policy.holdAfterRollback,
      onProgress: (steps) => {
        run.steps = steps;
        this.announce(run);
      },
      isAbandoned: () => run.isAbandoned,
      confirm: async (step: RollbackStep<object>) =>
        (await ask('confirm', step, `${step.title}: ${step.touches} Continue?`)) === 'continue',
      shouldRetry: async (step) =>
        (await ask('retry', step, `${step.title} failed: ${step.detail} Retry it?`)) === 'retry',
      waitForNetwork: (step, onWaiting) => this.waitForNetwork(run, step, onWaiting),
    })
      .then((result) => {
        run.status = result.status;
        run.steps = result.steps;
        run.leftToDo = result.leftToDo;
      })
      .catch((error: unknown) => {
        run.status = 'failed';
        run.leftToDo = [
          `The rollback stopped unexpectedly (${this.options.redactor.redact((error as Error).message)}): check ${service} in the matrix.`,
        ];
      })
      .finally(() => {
        output.end();
        this.announce(run);
      });
    return { rollbackId };
  }

  /** The answer to the question the walk waits on, or an abandon that stops before the next step. */
  decide(rollbackId: string, decision: Decision): { detail: string } {
    const run = this.runs.get(rollbackId);
    if (!run) throw new CockpitError('NOT_FOUND', `There is no rollback ${rollbackId}.`);
    if (run.status !== 'running') throw new CockpitError('BAD_INPUT', `The rollback ${rollbackId} has already ended.`);
    if (decision === 'abandon') run.isAbandoned = true;
    if (run.awaiting) {
      const expected = run.awaiting.kind === 'confirm' ? 'continue' : 'retry';
      if (decision !== 'abandon' && decision !== expected)
        throw new CockpitError('BAD_INPUT', `The rollback waits for "${expected}" or "abandon", not "${decision}".`);
      run.awaiting.answer(decision);
      return { detail: decision === 'abandon' ? 'Abandoning: what was started is put back.' : 'Going on.' };
    }
    if (decision !== 'abandon') throw new CockpitError('BAD_INPUT', 'The rollback is not waiting for an answer.');
    this.announce(run);
    return { detail: 'The rollback stops before its next step; the running step finishes first.' };
  }

  private async waitForNetwork(
    run: Run,
    step: RollbackStep<object>,
    onWaiting: (detail: string) => void,
  ): Promise<boolean> {
    const urls = networkTargets(this.options.platform, run.request.environment, run.affected);
    for (;;) {
      if (run.isAbandoned) return false;
      const missing = await unreachable(urls, this.options.isReachable ?? isHostReachable);
      if (missing.length === 0) return true;
      onWaiting(
        `Waiting for the network: ${missing.join(', ')} cannot be reached. "${step.title}" starts as soon as they answer; abandon to stop here.`,
      );
      await sleep(this.options.networkRetryMs ?? 3_000);
    }
  }

  private announce(run: Run): void {
    const elapsedMs = Date.now() - run.beganAtMs;
    this.options.events.emit('rollback:progress', {
      rollbackId: run.id,
      level: run.request.level,
      service: run.request.service,
      environment: run.request.environment,
      targetMinutes: run.targetMinutes,
      startedAt: new Date(run.beganAtMs).toISOString(),
      status: run.status,
      steps: run.steps,
      leftToDo: run.leftToDo,
      elapsedMs,
      ...(run.awaiting && run.status === 'running'
        ? { awaiting: { kind: run.awaiting.kind, stepId: run.awaiting.stepId, question: run.awaiting.question } }
        : {}),
      notices: this.notices(run, elapsedMs),
    });
  }

  private notices(run: Run, elapsedMs: number) {
    const { platform, identity } = this.options;
    const eta = etaText(run.startedAt, run.targetMinutes, platform.policy.timeZone);
    const internal = rollbackNotice({
      service: run.request.service,
      environment: run.request.environment,
      level: run.request.level,
      fromVersion: run.context.running,
      toVersion: run.context.target ?? run.context.patchVersion,
      backup: run.context.backupId,
      reason: run.reason,
      eta,
      contact: identity.email ? `${identity.name} <${identity.email}>` : identity.name,
      ...(run.status === 'succeeded' ? { resolvedAfterMs: elapsedMs } : {}),
    });
    // Users are told once the outage may pass five minutes: levels 2 and 3 by their target.
    const isUserImpact = run.targetMinutes * 60_000 > userImpactThresholdMs || elapsedMs > userImpactThresholdMs;
    return isUserImpact ? { internal, maintenance: maintenanceNotice({ eta, services: run.affected }) } : { internal };
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

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
  }
}
