/**
 * Deploys from the app: plan with default targets, start a run in the background (journaled,
 * locked, recorded), stream its logs through the log bus, report step changes, cancel.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DeployPlanView, DeployStepView } from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { EventBus } from '../event-bus';
import type { MatrixMonitor } from '../health/matrix-monitor';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import { LogBus } from '../logs/log-bus';
import type { Redactor } from '../logs/redactor';
import type { Platform } from '../platform/schema';
import { DeployJournal } from './journal';
import { runDeploy } from './orchestrator';
import { createProviderFactory } from './provider-factory';
import { planDeploy, type DeployPlan } from './plan';
import { defaultTargets, runningVersions } from './targets';

export interface DeployServiceOptions {
  platform: Platform;
  dataDir: string;
  prober: HealthProber;
  events: EventBus;
  redactor: Redactor;
  audit: AuditTrail;
  matrix?: MatrixMonitor;
  /** Reads a provider token from the vault. */
  readCredential?: (id: string) => Promise<string | undefined>;
  isHostAllowed?: (hostname: string) => boolean;
}

export interface DeployRequest {
  environment: string;
  services?: string[];
  versions?: Record<string, string>;
}

export class DeployService {
  private readonly running = new Map<string, AbortController>();
  private readonly logBus: LogBus;
  private readonly journalFolder: string;

  constructor(private readonly options: DeployServiceOptions) {
    this.journalFolder = DeployJournal.folder(options.dataDir, options.platform.id);
    this.logBus = new LogBus({
      redactor: options.redactor,
      folder: this.journalFolder,
      emit: (runId, chunks) => options.events.emit('deploy:log', { runId, chunks }),
    });
  }

  async plan(request: DeployRequest): Promise<DeployPlanView> {
    return toView(await this.buildPlan(request));
  }

  /** Starts a run and returns at once; progress arrives as events. */
  async start(request: DeployRequest): Promise<{ runId: string; plan: DeployPlanView; logFile: string }> {
    const plan = await this.buildPlan(request);
    if (plan.waves.flat().length === 0)
      throw new CockpitError(
        'BAD_INPUT',
        `Nothing to deploy to ${request.environment}: no service has a target version.`,
      );
    const runId = `${new Date()
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
    const controller = new AbortController();
    this.running.set(runId, controller);
    for (const step of plan.waves.flat()) this.options.matrix?.markHot(step.service, 10 * 60_000);
    const { platform, events } = this.options;
    void runDeploy({
      platform,
      plan,
      runId,
      journal: new DeployJournal(path.join(this.journalFolder, `${runId}.jsonl`)),
      lockFolder: path.join(this.options.dataDir, 'locks'),
      prober: this.options.prober,
      audit: this.options.audit,
      log: (service, text) => this.logBus.push(runId, service, text),
      providers: createProviderFactory({
        readCredential: this.options.readCredential,
        isHostAllowed: this.options.isHostAllowed,
      }),
      onStepChanged: (step) => events.emit('deploy:step-changed', { runId, step }),
      signal: controller.signal,
    })
      .then((result) =>
        events.emit('deploy:finished', {
          runId,
          status: result.status,
          detail: `Deploy to ${plan.environment} ${result.status}.`,
        }),
      )
      .catch((error: unknown) =>
        events.emit('deploy:finished', {
          runId,
          status: 'failed',
          detail:
            error instanceof CockpitError
              ? error.message
              : `The deploy stopped unexpectedly: ${(error as Error).message}`,
        }),
      )
      .finally(() => {
        this.running.delete(runId);
        void this.logBus.close(runId);
        void this.options.matrix?.refresh().catch(() => undefined);
      });
    return { runId, plan: toView(plan), logFile: this.logBus.fileOf(runId) };
  }

  cancel(runId: string): void {
    const controller = this.running.get(runId);
    if (!controller) throw new CockpitError('NOT_FOUND', `No deploy ${runId} is running.`);
    controller.abort();
  }

  private async buildPlan(request: DeployRequest): Promise<DeployPlan> {
    const { platform, prober } = this.options;
    if (!platform.environments.some((environment) => environment.id === request.environment)) {
      throw new CockpitError('NOT_FOUND', `"${request.environment}" is not an environment of ${platform.name}.`);
    }
    const targets = {
      ...(await defaultTargets(platform, request.environment, prober, request.services)),
      ...request.versions,
    };
    const running = await runningVersions(platform, request.environment, prober, Object.keys(targets));
    return planDeploy({ platform, environment: request.environment, targets, running });
  }
}

function toView(plan: DeployPlan): DeployPlanView {
  return {
    environment: plan.environment,
    waves: plan.waves.map((wave) =>
      wave.map((step): DeployStepView => ({
        service: step.service,
        version: step.version,
        runningVersion: step.runningVersion,
        action: step.action,
        reason: step.reason,
      })),
    ),
  };
}
