/**
 * Deploys from the app and the CLI alike: a plan is computed and kept under an id; starting takes
 * that id and runs exactly that plan — refused when anything it was computed from changed, when
 * it expired, or (protected environments) without the environment's name typed. Runs go in the
 * background (journaled, locked, recorded), their logs through the flow-controlled log bus; after
 * a crash, interrupted runs are resumed or abandoned; staging is promoted to production once it
 * proved the versions; versions are marked bad or good; past runs and their logs stay readable.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CiStatus, DeployHistory, DeployPlanView, DeployRuns, PromotionOffer } from '../../../shared/contract';
import { CockpitError } from '../errors';
import { trustedRecords } from '../identity/authority';
import { holdsOf, requireNotHeld } from '../policy/holds';
import type { ManagedRepos } from '../git/managed-repos';
import { keepRenewing, type HeldTeamLock, type TeamLocks } from '../team/team-lock';
import type { EventBus } from '../event-bus';
import type { MatrixMonitor } from '../health/matrix-monitor';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import { LogBus, type LogBusOptions, type RunLogs } from '../logs/log-bus';
import { runLogSinks, terminalFlowControl } from '../logs/run-logs';
import { LogBusThread, type StartLogHost } from '../logs/log-bus-thread';
import type { Redactor } from '../logs/redactor';
import type { Platform } from '../platform/schema';
import type { DeployAssessment } from '../policy/policy-service';
import { deployHistory, readRunLog } from './deploy-history';
import { markVersion, recordAllowedBad, type VersionMarkInput } from './mark-version';
import {
  computePlan,
  deployVersions,
  planChanges,
  requireConfirmation,
  requireEnvironment,
  planToStore,
  stepGates,
  storedToPlan,
  type ComputedPlan,
  type PlanRequest,
} from './deploy-planner';
import { DeployJournal, journaledRuns, journaledSteps, latestResumable } from './journal';
import { runDeploy } from './orchestrator';
import { planServices, type DeployPlan } from './plan';
import { newRunId, planView, PlanStore, resumedView } from './plan-store';
import { currentPromotionOffer, mergePromotedTags } from './promotion';
import { createProviderFactory } from './provider-factory';
import { abandonRun, interruptedRunViews, requireDowngradeAllowed, resumedPlan } from './interrupted-runs';
import { takeRunTeamLock, teamLockRenewMs } from './run-team-lock';

export interface DeployServiceOptions {
  platform: Platform;
  dataDir: string;
  prober: HealthProber;
  events: EventBus;
  redactor: Redactor;
  audit: AuditTrail;
  matrix?: MatrixMonitor;
  clock?: () => Date;
  /** Reads a provider token from the vault. */
  readCredential?: (id: string) => Promise<string | undefined>;
  isHostAllowed?: (hostname: string) => boolean;
  /** Throws unless a deploy to the environment may go now (roles, window, hotfix exception, gates). */
  authorize?: (environment: string, versions: Record<string, string>) => Promise<unknown>;
  /** The gates and the window a plan shows, recording nothing. */
  assess?: (environment: string, versions: Record<string, string>) => Promise<DeployAssessment>;
  /** CI state of a service's version tag, when the platform has a CI provider. */
  ciStatus?: (service: string, tag: string) => Promise<CiStatus>;
  /** Steps running at once (3 by default). */
  parallelism?: number;
  /** The terminal acknowledges what it parsed (the app); without, logs flow freely (the CLI). */
  hasFlowControl?: boolean;
  /** One deploy per environment across the team's laptops, through the mirror (none without one). */
  teamLocks?: TeamLocks;
  /** The clones the cockpit manages: a promotion fetches (or makes) them before merging. */
  managedRepos?: ManagedRepos;
  /** Who holds the team lock during this laptop's runs. */
  holder?: { name: string; email?: string };
  /** Where the log thread runs (a worker thread when not given; the app's utility process). */
  startLogHost?: StartLogHost;
}

interface Started {
  runId: string;
  plan: DeployPlanView;
  logFile: string;
}

export { terminalFlowControl } from '../logs/run-logs';

export class DeployService {
  private readonly running = new Map<string, { controller: AbortController; environment: string }>();
  private readonly logBus: RunLogs;
  private readonly journalFolder: string;
  private readonly plans: PlanStore;
  private readonly clock: () => Date;

  constructor(private readonly options: DeployServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.journalFolder = DeployJournal.folder(options.dataDir, options.platform.id);
    this.plans = new PlanStore(PlanStore.folder(options.dataDir, options.platform.id), this.clock);
    const logs: LogBusOptions = {
      redactor: options.redactor,
      folder: this.journalFolder,
      emit: (runId, chunks) => options.events.emit('deploy:log', { runId, chunks }),
    };
    // The app's terminal acknowledges what it parsed: its logs are masked, written and batched in
    // a thread of their own, so a flood never stalls the window. The CLI prints as it comes.
    this.logBus =
      options.hasFlowControl === false
        ? new LogBus(logs)
        : new LogBusThread({
            ...logs,
            flowControl: terminalFlowControl,
            maxBatchChars: terminalFlowControl.maxBatchChars,
            ...(options.startLogHost ? { startHost: options.startLogHost } : {}),
          });
  }

  /** Frees the log thread once the runs still going have ended (another platform opens, the app quits). */
  stop(): void {
    this.logBus.stop();
  }

  /** Computes a plan now, keeps it under an id, and returns it for review. */
  async plan(request: PlanRequest): Promise<DeployPlanView> {
    // A start is likely next: its logs' thread gets ready while the plan is reviewed.
    this.logBus.prepare();
    const computed = await this.compute(request, true);
    const gates = await stepGates(computed, this.options.ciStatus);
    const stored = await this.plans.save(planToStore(this.options.platform.id, request, computed, gates));
    return planView(stored);
  }

  /** The environment a stored plan deploys to, if the plan is known here. */
  async planEnvironment(planId: string): Promise<string | undefined> {
    return this.plans.load(planId).then(
      (stored) => stored.environment,
      () => undefined,
    );
  }

  /** Starts exactly the reviewed plan, or refuses (nothing triggered) saying why. */
  async start(input: { planId: string; confirmation?: string; withoutTeamLock?: string }): Promise<Started> {
    return this.begin(await this.clearToStart(input));
  }

  /**
   * Every check before a start, then the team lock: refused (nothing triggered, nothing recorded)
   * when the plan is stale or held, or another laptop deploys there.
   */
  private async clearToStart(input: { planId: string; confirmation?: string; withoutTeamLock?: string }) {
    const stored = await this.plans.load(input.planId);
    const environment = requireEnvironment(this.options.platform, stored.environment);
    requireConfirmation(environment, input.confirmation);
    const fresh = await this.compute({ environment: stored.environment, ...stored.request });
    const changes = planChanges(stored, fresh);
    if (changes.length > 0)
      throw new CockpitError(
        'PLAN_STALE',
        `Plan ${stored.planId} is out of date, nothing was started: ${changes.join('; ')}. Plan again and review it.`,
        { changes },
      );
    const plan = storedToPlan(stored);
    if (plan.waves.flat().length === 0)
      throw new CockpitError('BAD_INPUT', `Nothing to deploy to ${environment.name}: no service has a target version.`);
    await this.options.authorize?.(environment.id, deployVersions(plan));
    // The start of a production deploy is signed: find out now if it cannot be, before anything runs.
    await this.options.audit.ledger.checkSigning({
      action: 'deploy.started',
      status: 'started',
      environment: environment.id,
      summary: `Deploy to ${environment.name}`,
    });
    requireNotHeld(holdsOf(await this.trustedRecords()), environment.id, planServices(plan, stored.request.services));
    const runId = newRunId(this.clock());
    const teamLock = await takeRunTeamLock(this.options, environment, runId, input.withoutTeamLock);
    return { stored, plan, environment, runId, teamLock };
  }

  /** Launches a run cleared to start; the team lock is given back if it cannot be. */
  private async begin(cleared: Awaited<ReturnType<DeployService['clearToStart']>>): Promise<Started> {
    const { stored, plan, environment, runId, teamLock } = cleared;
    try {
      await recordAllowedBad(this.options.audit, stored, runId, environment.id);
    } catch (error) {
      await teamLock?.release().catch(() => undefined);
      throw error;
    }
    return this.launch(plan, runId, { planId: stored.planId, view: planView(stored), teamLock });
  }

  /** A run is under way in this cockpit. */
  isBusy(): boolean {
    return this.running.size > 0;
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
    const interrupted = await interruptedRunViews(this.journalFolder, (runId) => this.running.has(runId));
    return {
      running: [...this.running].map(([runId, run]) => ({ runId, environment: run.environment })),
      interrupted,
    };
  }

  /** The interrupted run `--resume latest` means, or why there is none to take. */
  async latestInterrupted(): Promise<{ runId?: string; why?: string }> {
    const { run, why } = latestResumable(await journaledRuns(this.journalFolder));
    return run ? { runId: run.runId } : { why };
  }

  /**
   * Resumes an interrupted run: each unfinished step is re-checked before anything is triggered.
   * A run whose targets are older than what was deployed since it started is refused unless
   * `allowDowngrade` says why.
   */
  async resume(runId: string, allowDowngrade?: string): Promise<Started> {
    const journal = this.interruptedJournal(runId);
    const entries = await journal.read();
    const started = entries.find((entry) => entry.kind === 'run-started');
    if (started?.kind !== 'run-started')
      throw new CockpitError('NOT_FOUND', `The journal of run ${runId} has no start: it cannot be resumed.`);
    const plan = resumedPlan(started);
    await requireDowngradeAllowed(this.options, runId, plan, journaledSteps(entries), allowDowngrade);
    requireNotHeld(holdsOf(await this.trustedRecords()), plan.environment, planServices(plan));
    const teamLock = await takeRunTeamLock(
      this.options,
      requireEnvironment(this.options.platform, plan.environment),
      runId,
    );
    return this.launch(plan, runId, { resume: true, teamLock });
  }

  /** Closes an interrupted run without touching any service; the ledger says what was left undone. */
  async abandon(runId: string): Promise<void> {
    await abandonRun(this.interruptedJournal(runId), runId, this.options.audit, this.clock);
  }

  /** Whether production may receive what staging runs; a version marked bad is never offered. */
  async promotion(): Promise<PromotionOffer> {
    return currentPromotionOffer(this.options.platform, this.options.prober, () => this.trustedRecords());
  }

  /**
   * Merges each promoted service's tested tag into main (--no-ff), pushes, then starts the
   * reviewed production plan — which must deploy exactly the versions on offer.
   */
  async promote(input: { planId: string; confirmation?: string }): Promise<Started> {
    const offer = await this.promotion();
    if (!offer.isOffered || !offer.to) throw new CockpitError('RELEASE_REFUSED', offer.reason);
    const stored = await this.plans.load(input.planId);
    const planned = deployVersions(storedToPlan(stored));
    const matches =
      stored.environment === offer.to &&
      Object.keys(planned).length > 0 &&
      Object.entries(planned).every(([service, version]) => offer.versions[service] === version);
    if (!matches)
      throw new CockpitError(
        'PLAN_STALE',
        `Plan ${stored.planId} does not deploy what is on offer (${Object.entries(offer.versions)
          .map(([service, version]) => `${service} v${version}`)
          .join(', ')}): plan the promotion again.`,
      );
    // Nothing is merged unless production may be deployed now: confirmed, every check passed, the
    // team lock held.
    const cleared = await this.clearToStart(input);
    const services = Object.keys(planned);
    const managed = this.options.managedRepos;
    try {
      await this.options.audit.around(
        {
          action: 'deploy.promotion',
          environment: offer.to,
          services,
          summary: `Promote ${services.map((service) => `${service} v${planned[service]}`).join(', ')} from ${offer.from} to ${offer.to}`,
        },
        () => mergePromotedTags(this.options.platform, managed, planned),
      );
    } catch (error) {
      await cleared.teamLock?.release().catch(() => undefined);
      throw error;
    }
    void this.options.matrix?.refreshRepositories().catch(() => undefined);
    return this.begin(cleared);
  }

  /** Marks a version bad (never deployed again unless a person allows it) or good again. */
  mark(input: VersionMarkInput) {
    return markVersion(this.options.audit, this.options.platform, input);
  }

  /** Every run to an environment, newest first. */
  async history(environment: string): Promise<DeployHistory> {
    requireEnvironment(this.options.platform, environment);
    return deployHistory(await this.options.audit.ledger.readAll(), environment, new Set(this.running.keys()));
  }

  /** A run's log from its file, secrets masked again with what the vault knows now. */
  readLog(runId: string) {
    return readRunLog(runId, this.logBus.fileOf(runId), (text) => this.options.redactor.redact(text));
  }

  /** Where a run's journal is (its log is beside it). */
  journalFile(runId: string): string {
    return path.join(this.journalFolder, `${runId}.jsonl`);
  }

  /** The ledger without the authority records that do not verify (a forged mark-good lifts nothing). */
  private async trustedRecords() {
    return trustedRecords(await this.options.audit.ledger.readAll(), this.options.platform);
  }

  private compute(request: PlanRequest, isReview = false): Promise<ComputedPlan> {
    return computePlan(
      request,
      {
        platform: this.options.platform,
        prober: this.options.prober,
        records: () => this.trustedRecords(),
        assess: this.options.assess,
        ciStatus: this.options.ciStatus,
      },
      isReview,
    );
  }

  private interruptedJournal(runId: string): DeployJournal {
    const file = path.join(this.journalFolder, `${runId}.jsonl`);
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(runId) || !existsSync(file) || this.running.has(runId))
      throw new CockpitError('NOT_FOUND', `No interrupted deploy ${runId.slice(0, 100)} is waiting.`);
    return new DeployJournal(file);
  }

  private launch(
    plan: DeployPlan,
    runId: string,
    how: { planId?: string; view?: DeployPlanView; resume?: boolean; teamLock?: HeldTeamLock },
  ): Started {
    const controller = new AbortController();
    const teamLock = how.teamLock;
    const renewal = teamLock
      ? keepRenewing(teamLock, teamLockRenewMs, (message) => this.logBus.push(runId, 'cockpit', `${message}\n`))
      : undefined;
    this.running.set(runId, { controller, environment: plan.environment });
    for (const step of plan.waves.flat()) this.options.matrix?.markHot(step.service, 10 * 60_000);
    const { platform, events } = this.options;
    void (async () => {
      let finished: { status: 'succeeded' | 'failed' | 'cancelled'; detail: string };
      try {
        const result = await runDeploy({
          platform,
          plan,
          runId,
          ...(how.planId ? { planId: how.planId } : {}),
          journal: new DeployJournal(this.journalFile(runId)),
          lockFolder: path.join(this.options.dataDir, 'locks'),
          prober: this.options.prober,
          audit: this.options.audit,
          ...runLogSinks(this.logBus, runId),
          providers: createProviderFactory({
            readCredential: this.options.readCredential,
            isHostAllowed: this.options.isHostAllowed,
          }),
          onStepChanged: (step) => events.emit('deploy:step-changed', { runId, step }),
          parallelism: this.options.parallelism,
          signal: controller.signal,
          resume: how.resume === true,
        });
        finished = { status: result.status, detail: `Deploy to ${plan.environment} ${result.status}.` };
      } catch (error) {
        finished = {
          status: 'failed',
          detail:
            error instanceof CockpitError
              ? error.message
              : `The deploy stopped unexpectedly: ${(error as Error).message}`,
        };
      } finally {
        this.running.delete(runId);
        renewal?.stop();
        await teamLock?.release().catch(() => undefined);
      }
      // The whole log is out (and in its file) before the run is said to be over.
      await this.logBus.close(runId).catch(() => undefined);
      events.emit('deploy:finished', { runId, ...finished });
      void this.options.matrix?.refresh().catch(() => undefined);
    })();
    return { runId, plan: how.view ?? resumedView(plan, runId, this.clock()), logFile: this.logBus.fileOf(runId) };
  }
}
