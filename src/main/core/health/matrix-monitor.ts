/**
 * The live matrix: every cell probed on its own schedule (each with jitter, tighter while a deploy
 * touches the service), every repository re-read periodically, the state persisted so the next
 * start (or an offline laptop) shows the last-known matrix with its age. Changes are batched per
 * event-loop turn and sent as events carrying only what changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  MatrixSnapshot,
  type MatrixCell,
  type MatrixRow,
  type RepoState,
  type ServiceDetails,
} from '../../../shared/contract';
import { writeFileAtomic } from '../atomic-file';
import type { LedgerRecord } from '../../../shared/ledger-record';
import type { EventBus } from '../event-bus';
import type { ManagedRepos, ManagedRepoState } from '../git/managed-repos';
import { gitIn, listCommits, listTags, readRepoState } from '../git/repo-state';
import type { Logger } from '../logger';
import type { Platform } from '../platform/schema';
import { cellKey, MatrixModel } from './matrix-model';
import type { HealthProber } from './prober';

export interface MatrixMonitorOptions {
  platform: Platform;
  prober: HealthProber;
  events: EventBus;
  logger: Logger;
  /** Where the last-known matrix is kept (`<data>/cache`). */
  cacheFolder: string;
  /** Between probes of a cell when nothing happens. */
  idleIntervalMs?: number;
  /** Between probes of a cell while a deploy touches its service. */
  hotIntervalMs?: number;
  /** Between repository reads. */
  repoIntervalMs?: number;
  /** Random spread of each interval (0.2 = ±20 %), so probes do not march in step. */
  jitter?: number;
  clock?: () => Date;
  /** The clones the cockpit manages: made and fetched before the repositories are read. */
  managedRepos?: ManagedRepos;
}

/** How soon a missed probe is asked again. */
const retryAfterMissMs = 300;

/** A managed clone is fetched again by the repository loop once its last fetch is this old. */
const managedFetchAgeMs = 60_000;

export class MatrixMonitor {
  private model?: MatrixModel;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly hotUntil = new Map<string, number>();
  /** Cells whose last probe was missed once (asked again before they turn unreachable). */
  private readonly missed = new Set<string>();
  private repoTimer?: ReturnType<typeof setTimeout>;
  private pendingCells = new Map<string, MatrixCell>();
  private pendingRows = new Map<string, MatrixRow>();
  private isFlushScheduled = false;
  private isRunning = false;
  private cacheWrite?: ReturnType<typeof setTimeout>;
  private readonly cacheFile: string;

  constructor(private readonly options: MatrixMonitorOptions) {
    this.cacheFile = path.join(options.cacheFolder, `matrix-${options.platform.id}.json`);
  }

  /** Loads the last-known matrix; call before `start` so the first paint never waits on the network. */
  async load(): Promise<void> {
    let cached: MatrixSnapshot | undefined;
    try {
      const parsed = MatrixSnapshot.safeParse(JSON.parse(await readFile(this.cacheFile, 'utf8')));
      cached = parsed.success && parsed.data.platformId === this.options.platform.id ? parsed.data : undefined;
    } catch {
      cached = undefined;
    }
    this.model = new MatrixModel(this.options.platform, cached);
  }

  /** Starts the probe loops and the repository loop. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    for (const target of this.requireModel().targets()) this.schedule(target.key, target.url, Math.random() * 300);
    void this.refreshRepos().finally(() => this.scheduleRepos());
  }

  stop(): void {
    this.isRunning = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.repoTimer) clearTimeout(this.repoTimer);
    if (this.cacheWrite) clearTimeout(this.cacheWrite);
  }

  snapshot(): MatrixSnapshot {
    return this.requireModel().snapshot();
  }

  /** Probes every cell and reads every repository now. */
  async refresh(): Promise<MatrixSnapshot> {
    const model = this.requireModel();
    // As in the loops: a service that answered and missed this sweep is asked once more first.
    const results = await this.options.prober.sweep(model.targets(), {
      askAgain: (target) => this.isFirstMiss(target.key, 'unreachable'),
    });
    for (const [key, result] of results) this.collect(model.applyProbe(key, result));
    await this.refreshRepos();
    this.flush();
    return model.snapshot();
  }

  /** Re-reads every repository now (after a release was cut, for instance). */
  async refreshRepositories(): Promise<void> {
    await this.refreshRepos();
  }

  /** Probes a service's cells often for `durationMs` (a deploy is touching it). */
  markHot(service: string, durationMs: number): void {
    const until = Date.now() + durationMs;
    for (const target of this.requireModel().targets()) {
      if (!target.key.startsWith(`${service}/`)) continue;
      this.hotUntil.set(target.key, until);
      if (this.isRunning) this.schedule(target.key, target.url, 0);
    }
  }

  /** Commits since the latest tag, tags and the deployments the ledger knows. */
  async details(service: string, deployments: ServiceDetails['deployments']): Promise<ServiceDetails> {
    const config = this.options.platform.services.find((candidate) => candidate.id === service);
    if (!config?.repo.path)
      return { service, commitsSinceTag: [], tags: [], deployments, error: 'No local repository is configured.' };
    try {
      if (this.options.managedRepos?.isManaged(service))
        await this.options.managedRepos.folderOf(service, { maxAgeMs: managedFetchAgeMs });
      const git = gitIn(config.repo.path);
      const tags = await listTags(git, 20);
      const range = tags[0] ? `${tags[0].name}..${config.repo.developBranch}` : config.repo.developBranch;
      return { service, commitsSinceTag: await listCommits(git, range, 50), tags, deployments };
    } catch (error) {
      return {
        service,
        commitsSinceTag: [],
        tags: [],
        deployments,
        error: `git could not read the repository: ${(error as Error).message.split('\n')[0]}`,
      };
    }
  }

  private schedule(key: string, url: string, delayMs: number): void {
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => void this.probeAndReschedule(key, url), delayMs);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  private async probeAndReschedule(key: string, url: string): Promise<void> {
    const result = await this.options.prober.probe({ key, url });
    if (!this.isRunning) return;
    // One missed probe of a service that answered is asked again at once before the cell turns
    // unreachable: a loaded machine or a lossy network drops a probe now and then.
    if (this.isFirstMiss(key, result.status)) {
      this.missed.add(key);
      this.schedule(key, url, retryAfterMissMs);
      return;
    }
    this.missed.delete(key);
    this.collect(this.requireModel().applyProbe(key, result));
    this.schedule(key, url, this.intervalFor(key));
  }

  private isFirstMiss(key: string, status: MatrixCell['status']): boolean {
    const shown = this.requireModel().statusOf(key);
    return (
      status === 'unreachable' &&
      !this.missed.has(key) &&
      shown !== undefined &&
      !['unreachable', 'unknown'].includes(shown)
    );
  }

  private intervalFor(key: string): number {
    const isHot = (this.hotUntil.get(key) ?? 0) > Date.now();
    const base = isHot ? (this.options.hotIntervalMs ?? 1_000) : (this.options.idleIntervalMs ?? 10_000);
    const jitter = this.options.jitter ?? 0.2;
    return Math.max(50, base * (1 + (Math.random() * 2 - 1) * jitter));
  }

  /** Reads the ledger's marks into the cells (rolled back from, marked bad, not deployed from here). */
  applyLedger(records: readonly LedgerRecord[]): void {
    this.collect({ cells: this.requireModel().applyLedger(records) });
  }

  private scheduleRepos(): void {
    if (!this.isRunning) return;
    this.repoTimer = setTimeout(
      () => void this.refreshRepos().finally(() => this.scheduleRepos()),
      this.options.repoIntervalMs ?? 30_000,
    );
    this.repoTimer.unref?.();
  }

  private async refreshRepos(): Promise<void> {
    const model = this.requireModel();
    const clock = this.options.clock ?? (() => new Date());
    const managed = await this.prepareManaged(model, clock);
    const now = clock();
    const services = this.options.platform.services.filter((service) => service.repo.path);
    const states = await Promise.all(
      services.map(async (service) => {
        const state = await readRepoState(
          {
            path: service.repo.path!,
            mainBranch: service.repo.mainBranch,
            developBranch: service.repo.developBranch,
            versionFile: service.version.file,
          },
          now,
        );
        const clone = managed.get(service.id);
        return { service: service.id, state: clone ? withManagedState(state, clone) : state };
      }),
    );
    for (const { service, state } of states) this.collect(model.applyRepo(service, state));
  }

  /** Makes the missing managed clones (their rows say "cloning") and fetches the stale ones. */
  private async prepareManaged(model: MatrixModel, clock: () => Date): Promise<Map<string, ManagedRepoState>> {
    const repos = this.options.managedRepos;
    if (!repos) return new Map();
    for (const state of repos.states().filter((candidate) => !candidate.isCloned))
      this.collect(
        model.applyRepo(state.service, { checkedAt: clock().toISOString(), isManaged: true, isCloning: true }),
      );
    this.flush();
    const states = await repos.prepare(undefined, { maxAgeMs: managedFetchAgeMs });
    return new Map(states.map((state) => [state.service, state]));
  }

  private collect(change: { cells: MatrixCell[]; row?: MatrixRow }): void {
    for (const cell of change.cells) this.pendingCells.set(cellKey(cell.service, cell.environment), cell);
    if (change.row) this.pendingRows.set(change.row.service, change.row);
    if (this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.isFlushScheduled = false;
    const model = this.requireModel();
    if (this.pendingCells.size > 0) {
      const snapshot = model.snapshot();
      this.options.events.emit('matrix:cells-changed', {
        cells: [...this.pendingCells.values()],
        connectivity: snapshot.connectivity,
        asOf: snapshot.asOf ?? new Date().toISOString(),
      });
    }
    if (this.pendingRows.size > 0)
      this.options.events.emit('matrix:rows-changed', { rows: [...this.pendingRows.values()] });
    if (this.pendingCells.size > 0 || this.pendingRows.size > 0) this.persistSoon();
    this.pendingCells = new Map();
    this.pendingRows = new Map();
  }

  private persistSoon(): void {
    if (this.cacheWrite) return;
    this.cacheWrite = setTimeout(() => {
      this.cacheWrite = undefined;
      void writeFileAtomic(this.cacheFile, JSON.stringify(this.requireModel().snapshot())).catch((error: unknown) =>
        this.options.logger.warn('Could not save the last-known matrix', { error }),
      );
    }, 1_000);
    this.cacheWrite.unref?.();
  }

  /** Writes the last-known matrix now (on shutdown). */
  async persistNow(): Promise<void> {
    if (this.cacheWrite) clearTimeout(this.cacheWrite);
    this.cacheWrite = undefined;
    if (this.model) await writeFileAtomic(this.cacheFile, JSON.stringify(this.model.snapshot()));
  }

  private requireModel(): MatrixModel {
    if (!this.model) throw new Error('The matrix is not loaded yet.');
    return this.model;
  }
}

/** A managed clone's repository state: whether it could be made, fetched, fast-forwarded. */
function withManagedState(state: RepoState, clone: ManagedRepoState): RepoState {
  if (!clone.isCloned)
    return { checkedAt: state.checkedAt, isManaged: true, ...(clone.problem ? { error: clone.problem } : {}) };
  return {
    ...state,
    isManaged: true,
    ...(clone.lastFetchedAt ? { lastFetchAt: clone.lastFetchedAt } : {}),
    ...(clone.problem ? { fetchProblem: clone.problem } : {}),
    ...(clone.notes.length > 0 ? { notes: clone.notes } : {}),
  };
}
