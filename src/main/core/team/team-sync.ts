/**
 * Keeping this laptop's ledger merged with the team's mirror: on start, every minute while it
 * answers, and around every action on a protected environment. One sync at a time; each git call
 * has a deadline, so an unreachable mirror costs one failed attempt, never a hang. What the
 * status bar says: "team synced 12 s ago", or "offline since 14:02 — 3 records to share".
 */
import type { Ledger } from '../ledger/ledger';
import { syncLedgerMirror, type MirrorSettings } from '../ledger/mirror';
import { deployLockView, type DeployLockInfo } from './team-lock';

export interface TeamSyncState {
  /** The platform names a mirror. */
  isConfigured: boolean;
  lastSyncedAt?: string;
  /** The first failed sync since the last good one. */
  offlineSince?: string;
  /** Records here the mirror does not have yet. */
  toShare: number;
  problem?: string;
  /** Who deploys where, as the mirror said at the last good sync (live leases only). */
  deployLocks?: Pick<DeployLockInfo, 'environment' | 'holder' | 'runId' | 'since' | 'leaseUntil'>[];
}

export interface TeamSyncOptions {
  ledger: Ledger;
  mirror: MirrorSettings;
  /** The mirror's clone in the data folder. */
  workFolder: string;
  clock?: () => Date;
  intervalMs?: number;
  deadlineMs?: number;
  onChanged?: (state: TeamSyncState) => void;
  /** The team's deploy locks now (read after each good sync, so every laptop sees who deploys). */
  readDeployLocks?: () => Promise<DeployLockInfo[]>;
}

export class TeamSync {
  private current: TeamSyncState = { isConfigured: true, toShare: 0 };
  private running?: Promise<TeamSyncState>;
  private timer?: ReturnType<typeof setInterval>;
  /** The ids the mirror had at the last good sync. */
  private shared = new Set<string>();
  private readonly clock: () => Date;

  constructor(private readonly options: TeamSyncOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Syncs now, then every interval (the timer never keeps the process alive). */
  start(): void {
    void this.sync();
    this.timer = setInterval(() => void this.sync(), this.options.intervalMs ?? 60_000);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  state(): TeamSyncState {
    return { ...this.current };
  }

  /** Merges with the mirror now; resolves with the state (never rejects: offline is a state). */
  sync(): Promise<TeamSyncState> {
    this.running ??= this.attempt().finally(() => (this.running = undefined));
    return this.running;
  }

  private async attempt(): Promise<TeamSyncState> {
    const { ledger, mirror, workFolder, deadlineMs } = this.options;
    try {
      await syncLedgerMirror(ledger, mirror, workFolder, { deadlineMs: deadlineMs ?? 60_000 });
      this.shared = new Set((await ledger.readAll()).map((record) => record.id));
      const deployLocks = await this.liveDeployLocks();
      this.current = {
        isConfigured: true,
        lastSyncedAt: this.clock().toISOString(),
        toShare: 0,
        ...(deployLocks ? { deployLocks } : {}),
      };
    } catch (error) {
      const records = await ledger.readAll().catch(() => []);
      this.current = {
        isConfigured: true,
        ...(this.current.lastSyncedAt ? { lastSyncedAt: this.current.lastSyncedAt } : {}),
        offlineSince: this.current.offlineSince ?? this.clock().toISOString(),
        toShare: records.filter((record) => !this.shared.has(record.id)).length,
        problem: ((error as Error).message ?? String(error)).split('\n')[0]!.slice(0, 300),
      };
    }
    this.options.onChanged?.(this.state());
    return this.state();
  }

  private async liveDeployLocks(): Promise<TeamSyncState['deployLocks']> {
    const locks = await this.options.readDeployLocks?.().catch(() => undefined);
    const now = this.clock().getTime();
    return locks?.filter((lock) => Date.parse(lock.leaseUntil) >= now).map(deployLockView);
  }
}
