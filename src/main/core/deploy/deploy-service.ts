/**
 * Deploys from the app: plan with default targets, start a run in the background (journaled,
 * locked, recorded), stream its logs through the flow-controlled log bus, report step changes,
 * cancel; after a crash, list interrupted runs and resume or abandon them; promote staging to
 * production once staging proved the versions.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type {
  CiStatus,
  DeployPlanView,
  DeployRuns,
  DeployStepView,
  PromotionOffer,
  StepGate,
} from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { EventBus } from '../event-bus';
import type { MatrixMonitor } from '../health/matrix-monitor';
import type { HealthProber, ProbeResult } from '../health/prober';
import { ciStateVerdict } from '../policy/gates';
import type { AuditTrail } from '../ledger/audit-trail';
import { LogBus } from '../logs/log-bus';
import type { Redactor } from '../logs/redactor';
import type { Platform } from '../platform/schema';
import { DeployJournal, interruptedRuns, journaledSteps } from './journal';
import { runDeploy } from './orchestrator';
import { planDeploy, type DeployPlan } from './plan';
import { mergeForPromotion, promotionOffer } from './promotion';
import { createProviderFactory } from './provider-factory';
import { currentHealth, defaultTargets, runningVersions } from './targets';

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
  /** Throws unless a deploy to the environment may go now (roles, window, hotfix exception). */
  authorize?: (environment: string, versions: Record<string, string>) => Promise<unknown>;
  /** CI state of a service's version tag, when the platform has a CI provider. */
  ciStatus?: (service: string, tag: string) => Promise<CiStatus>;
}

export interface DeployRequest {
  environment: string;
  services?: string[];
  versions?: Record<string, string>;
}

interface Started {
  runId: string;
  plan: DeployPlanView;
  logFile: string;
}

export class DeployService {
  private readonly running = new Map<string, { controller: AbortController; environment: string }>();
  private readonly logBus: LogBus;
  private readonly journalFolder: string;

  constructor(private readonly options: DeployServiceOptions) {
    this.journalFolder = DeployJournal.folder(options.dataDir, options.platform.id);
    this.logBus = new LogBus({
      redactor: options.redactor,
      folder: this.journalFolder,
      emit: (runId, chunks) => options.events.emit('deploy:log', { runId, chunks }),
      // xterm.js's flow-control guide and VS Code's figures: pause at 100k unparsed characters.
      flowControl: { highWatermark: 100_000, lowWatermark: 10_000, maxHeldChars: 4_000_000 },
    });
  }

  /** The plan with each step's checks: health of the service now, CI of the target version. */
  async plan(request: DeployRequest): Promise<DeployPlanView> {
    const { plan, health } = await this.buildPlan(request);
    const steps = plan.waves.flat().filter((step) => step.action === 'deploy');
    const gates = new Map<string, StepGate[]>();
    await Promise.all(
      steps.map(async (step) => {
        gates.set(step.service, [healthGate(health.get(step.service)), await this.ciGate(step.service, step.version)]);
      }),
    );
    const view = toView(plan);
    for (const wave of view.waves) for (const step of wave) step.gates = gates.get(step.service);
    return view;
  }

  private async ciGate(service: string, version: string): Promise<StepGate> {
    const title = `CI of v${version}`;
    if (!this.options.ciStatus)
      return { id: 'ci', title, verdict: 'unknown', evidence: 'No CI provider is configured for this platform.' };
    try {
      const status = await this.options.ciStatus(service, `v${version}`);
      const image = status.image ? ` ${status.image.detail ?? ''}`.trimEnd() : '';
      return { id: 'ci', title, verdict: ciStateVerdict(status), evidence: `${status.detail ?? status.state}${image}` };
    } catch (error) {
      return { id: 'ci', title, verdict: 'unknown', evidence: `CI could not be read: ${(error as Error).message}` };
    }
  }

  /** Starts a run and returns at once; progress arrives as events. */
  async start(request: DeployRequest): Promise<Started> {
    const { plan } = await this.buildPlan(request);
    await this.options.authorize?.(request.environment, deployedVersions(plan));
    if (plan.waves.flat().length === 0)
      throw new CockpitError(
        'BAD_INPUT',
        `Nothing to deploy to ${request.environment}: no service has a target version.`,
      );
    const runId = `${new Date()
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
    return this.launch(plan, runId, false);
  }

  cancel(runId: string): void {
    const run = this.running.get(runId);
    if (!run) throw new CockpitError('NOT_FOUND', `No deploy ${runId} is running.`);
    run.controller.abort();
  }

  /** The terminal parsed `characters` more of a run's log. */
  acknowledge(runId: string, characters: number): void {
    this.logBus.acknowledge(runId, characters);
  }

  /** Running and interrupted runs; a (re)loaded window asks this first, so its flow starts afresh. */
  async runs(): Promise<DeployRuns> {
    this.logBus.resetFlow();
    const interrupted: DeployRuns['interrupted'] = [];
    for (const file of (await interruptedRuns(this.journalFolder)).sort()) {
      const entries = await new DeployJournal(file).read();
      const started = entries.find((entry) => entry.kind === 'run-started');
      if (started?.kind !== 'run-started' || this.running.has(started.runId)) continue;
      const steps = journaledSteps(entries);
      interrupted.push({
        runId: started.runId,
        environment: started.environment,
        startedAt: started.at,
        steps: started.waves.flat().map((step) => ({
          service: step.service,
          version: step.version,
          state: steps.get(step.service)?.state ?? 'pending',
        })),
      });
    }
    return {
      running: [...this.running].map(([runId, run]) => ({ runId, environment: run.environment })),
      interrupted,
    };
  }

  /** Resumes an interrupted run: each unfinished step is re-checked before anything is triggered. */
  async resume(runId: string): Promise<Started> {
    const journal = this.interruptedJournal(runId);
    const started = (await journal.read()).find((entry) => entry.kind === 'run-started');
    if (started?.kind !== 'run-started')
      throw new CockpitError('NOT_FOUND', `The journal of run ${runId} has no start: it cannot be resumed.`);
    const plan: DeployPlan = {
      environment: started.environment,
      waves: started.waves.map((wave) =>
        wave.map((step) => ({
          service: step.service,
          version: step.version,
          action: step.action === 'skip' ? 'skip' : 'deploy',
          reason: 'resumed after an interruption',
        })),
      ),
    };
    return this.launch(plan, runId, true);
  }

  /** Closes an interrupted run without touching any service; the ledger says what was left undone. */
  async abandon(runId: string): Promise<void> {
    const journal = this.interruptedJournal(runId);
    const entries = await journal.read();
    const started = entries.find((entry) => entry.kind === 'run-started');
    const unfinished = [...journaledSteps(entries)]
      .filter(([, step]) => !['succeeded', 'failed', 'skipped'].includes(step.state))
      .map(([service, step]) => `${service} (${step.state})`);
    await journal.append({ kind: 'run-finished', status: 'abandoned', at: new Date().toISOString() });
    await this.options.audit.record([
      {
        action: 'deploy.finished',
        status: 'cancelled',
        correlationId: runId,
        environment: started?.kind === 'run-started' ? started.environment : undefined,
        summary: `Interrupted deploy ${runId} abandoned; left undone: ${unfinished.join(', ') || 'nothing'}. Check those services in the matrix.`,
      },
    ]);
  }

  /** Whether production may receive what staging runs. */
  async promotion(): Promise<PromotionOffer> {
    const { platform, prober } = this.options;
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
      this.options.audit.ledger.readAll(),
    ]);
    return promotionOffer({ platform, from: from.id, to: to.id, fromRunning, toRunning, records });
  }

  /** Merges each promoted service's tested tag into main (--no-ff), pushes, then deploys production. */
  async promote(): Promise<Started> {
    const offer = await this.promotion();
    if (!offer.isOffered || !offer.to) throw new CockpitError('RELEASE_REFUSED', offer.reason);
    // Nothing is merged unless production may be deployed now.
    await this.options.authorize?.(offer.to, offer.versions);
    const services = Object.keys(offer.versions);
    await this.options.audit.around(
      {
        action: 'deploy.promotion',
        environment: offer.to,
        services,
        summary: `Promote ${services.map((service) => `${service} v${offer.versions[service]}`).join(', ')} from ${offer.from} to ${offer.to}`,
      },
      async () => {
        for (const id of services) {
          const service = this.options.platform.services.find((candidate) => candidate.id === id)!;
          if (!service.repo.path) continue;
          await mergeForPromotion(
            { path: service.repo.path, mainBranch: service.repo.mainBranch },
            offer.versions[id]!,
            () => undefined,
          );
        }
      },
    );
    void this.options.matrix?.refreshRepositories().catch(() => undefined);
    return this.start({ environment: offer.to, services, versions: offer.versions });
  }

  private interruptedJournal(runId: string): DeployJournal {
    const file = path.join(this.journalFolder, `${runId}.jsonl`);
    if (!existsSync(file) || this.running.has(runId))
      throw new CockpitError('NOT_FOUND', `No interrupted deploy ${runId} is waiting.`);
    return new DeployJournal(file);
  }

  private launch(plan: DeployPlan, runId: string, resume: boolean): Started {
    const controller = new AbortController();
    this.running.set(runId, { controller, environment: plan.environment });
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
      resume,
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

  /** The plan, and the health sweep it was made from (one sweep serves both). */
  private async buildPlan(
    request: DeployRequest,
  ): Promise<{ plan: DeployPlan; health: Map<string, ProbeResult | undefined> }> {
    const { platform, prober } = this.options;
    if (!platform.environments.some((environment) => environment.id === request.environment)) {
      throw new CockpitError('NOT_FOUND', `"${request.environment}" is not an environment of ${platform.name}.`);
    }
    const targets = {
      ...(await defaultTargets(platform, request.environment, prober, request.services)),
      ...request.versions,
    };
    const health = await currentHealth(platform, request.environment, prober, Object.keys(targets));
    const running = Object.fromEntries([...health].map(([service, result]) => [service, result?.version]));
    return { plan: planDeploy({ platform, environment: request.environment, targets, running }), health };
  }
}

/** Service → version of the steps that would deploy something. */
function deployedVersions(plan: DeployPlan): Record<string, string> {
  return Object.fromEntries(
    plan.waves
      .flat()
      .filter((step) => step.action === 'deploy')
      .map((step) => [step.service, step.version]),
  );
}

function healthGate(result: { status: string; version?: string; error?: string } | undefined): StepGate {
  const title = 'Health now';
  if (!result) return { id: 'health', title, verdict: 'unknown', evidence: 'not probed' };
  const running = result.version ? ` on v${result.version}` : '';
  if (result.status === 'up') return { id: 'health', title, verdict: 'pass', evidence: `up${running}` };
  return {
    id: 'health',
    title,
    verdict: 'warn',
    evidence: `${result.status}${running}${result.error ? ` (${result.error})` : ''}: the deploy will wait for health`,
  };
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
