/**
 * One deploy per environment across laptops: a ref in the team's mirror,
 * `refs/cockpit/locks/<platform>/<environment>`, pointing at a commit whose `lock.json` says who
 * holds it, for which run, since when and until when. The git host applies ref updates atomically,
 * so a push with `--force-with-lease` is a compare-and-swap: taking it expects the ref absent (or,
 * to take over a lease that ran out, expects the dead holder's commit); renewing and releasing
 * expect our own. Two laptops racing: one push wins, the other is refused and names the winner.
 * Never a forced push over a live holder. Every call reads the mirror (`ls-remote`), never a
 * cached state, and has a deadline.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { TeamDeployLock } from '../../../shared/contract';
import { CockpitError } from '../errors';
import { runGit } from '../git/hardened-git';
import type { Platform } from '../platform/schema';

/** Extra time before a lease that ran out may be taken over: the laptops' clocks may differ. */
export const clockSkewSeconds = 30;

const LockFile = z.object({
  holder: z.object({ name: z.string(), email: z.string().optional() }),
  environment: z.string(),
  runId: z.string(),
  since: z.string(),
  leaseUntil: z.string(),
  host: z.string().optional(),
});
export type DeployLockInfo = z.infer<typeof LockFile>;

/** What the views show of a lock: who holds it, for which run, since and until when. */
export function deployLockView({ environment, holder, runId, since, leaseUntil }: DeployLockInfo): TeamDeployLock {
  return { environment, holder, runId, since, leaseUntil };
}

export interface TeamLockOptions {
  /** The mirror: a URL or a path. */
  repo: string;
  platformId: string;
  /** A private bare repository the lock commits are made in (`<data>/ledger/<platform>/locks.git`). */
  folder: string;
  leaseSeconds: number;
  clock?: () => Date;
  /** The deadline of each call to the mirror. */
  deadlineMs?: number;
  host?: string;
}

/** A lock this laptop holds. */
export interface HeldTeamLock {
  info: DeployLockInfo;
  /** The holder whose expired lease this take-over replaced. */
  tookOverFrom?: DeployLockInfo;
  renew(): Promise<void>;
  release(): Promise<void>;
}

export class TeamLocks {
  private readonly clock: () => Date;
  private readonly deadlineMs: number;

  constructor(private readonly options: TeamLockOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.deadlineMs = options.deadlineMs ?? 60_000;
  }

  ref(environment: string): string {
    return `refs/cockpit/locks/${this.options.platformId}/${environment}`;
  }

  /**
   * Takes the environment's lock for a run, or throws LOCKED naming the holder; TEAM_OFFLINE when
   * the mirror cannot be reached (nothing was taken).
   */
  async take(environment: string, holder: DeployLockInfo['holder'], runId: string): Promise<HeldTeamLock> {
    await this.prepare();
    const ref = this.ref(environment);
    const current = await this.read(environment);
    if (current && !this.isExpired(current.info)) throw this.heldBy(current.info);
    const now = this.clock();
    const info: DeployLockInfo = {
      holder,
      environment,
      runId,
      since: now.toISOString(),
      leaseUntil: this.leaseFrom(now),
      ...(this.options.host ? { host: this.options.host } : {}),
    };
    let sha = await this.commit(info, `lock ${environment} for ${runId}`);
    try {
      await this.push(sha, ref, current?.sha ?? '');
    } catch (error) {
      if (isRaceLost(error)) {
        const winner = await this.read(environment).catch(() => undefined);
        throw winner ? this.heldBy(winner.info) : offline(error);
      }
      throw offline(error);
    }
    const held: HeldTeamLock = {
      info,
      ...(current ? { tookOverFrom: current.info } : {}),
      renew: async () => {
        const renewed = { ...info, leaseUntil: this.leaseFrom(this.clock()) };
        const next = await this.commit(renewed, `renew ${environment} for ${runId}`);
        try {
          await this.push(next, ref, sha);
        } catch (error) {
          if (!isRaceLost(error)) throw offline(error);
          const now = await this.read(environment).catch(() => undefined);
          throw now ? this.heldBy(now.info, 'this run’s lease ran out and was taken over.') : offline(error);
        }
        sha = next;
        held.info = renewed;
      },
      release: async () => {
        await this.push('', ref, sha);
      },
    };
    return held;
  }

  /** Every deploy lock of the platform on the mirror now (expired ones included, marked by their lease). */
  async list(): Promise<DeployLockInfo[]> {
    await this.prepare();
    const prefix = `refs/cockpit/locks/${this.options.platformId}/`;
    const refs = await this.lsRemote(`${prefix}*`);
    const locks: DeployLockInfo[] = [];
    for (const [ref, sha] of refs) {
      const info = await this.content(ref, sha);
      if (info) locks.push(info);
    }
    return locks;
  }

  /** The lock of an environment on the mirror now, if any. */
  private async read(environment: string): Promise<{ sha: string; info: DeployLockInfo } | undefined> {
    const ref = this.ref(environment);
    const sha = (await this.lsRemote(ref)).get(ref);
    if (!sha) return undefined;
    const info = await this.content(ref, sha);
    // An unreadable lock is held by someone we cannot name: treated as live until its commit ages out.
    return {
      sha,
      info: info ?? {
        holder: { name: 'an unknown holder' },
        environment,
        runId: 'unknown',
        since: this.clock().toISOString(),
        leaseUntil: this.leaseFrom(this.clock()),
      },
    };
  }

  private async content(ref: string, sha: string): Promise<DeployLockInfo | undefined> {
    try {
      await runGit(['fetch', '--quiet', '--no-write-fetch-head', 'origin', `+${ref}:${ref}`], this.remote());
      const text = await runGit(['cat-file', 'blob', `${sha}:lock.json`], { cwd: this.options.folder });
      const parsed = LockFile.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (error instanceof CockpitError && (error.details as { isTimeout?: boolean } | undefined)?.isTimeout)
        throw offline(error);
      return undefined;
    }
  }

  private async lsRemote(pattern: string): Promise<Map<string, string>> {
    let output: string;
    try {
      output = await runGit(['ls-remote', 'origin', pattern], this.remote());
    } catch (error) {
      throw offline(error);
    }
    const refs = new Map<string, string>();
    for (const line of output.split('\n')) {
      const [sha, ref] = line.trim().split(/\s+/);
      if (sha && ref) refs.set(ref, sha);
    }
    return refs;
  }

  /** A root commit holding `lock.json` (made locally: nothing is fetched to make it). */
  private async commit(info: DeployLockInfo, message: string): Promise<string> {
    const cwd = this.options.folder;
    const blob = (
      await runGit(['hash-object', '-w', '--stdin'], { cwd, input: `${JSON.stringify(info, null, 2)}\n` })
    ).trim();
    const tree = (await runGit(['mktree'], { cwd, input: `100644 blob ${blob}\tlock.json\n` })).trim();
    return (await runGit(['commit-tree', tree, '-m', message], { cwd })).trim();
  }

  /** Compare-and-swap: `ref` goes from `expected` ('' = absent) to `sha` ('' = deleted). */
  private async push(sha: string, ref: string, expected: string): Promise<void> {
    await runGit(
      ['push', '--quiet', '--no-verify', `--force-with-lease=${ref}:${expected}`, 'origin', `${sha}:${ref}`],
      this.remote(),
    );
  }

  private remote() {
    return { cwd: this.options.folder, deadlineMs: this.deadlineMs };
  }

  private async prepare(): Promise<void> {
    const { folder, repo } = this.options;
    if (existsSync(path.join(folder, 'HEAD'))) return;
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await runGit(['init', '--quiet', '--bare', folder]);
    await runGit(['config', 'user.name', 'Release Cockpit lock'], { cwd: folder });
    await runGit(['config', 'user.email', 'lock@release-cockpit.invalid'], { cwd: folder });
    await runGit(['remote', 'add', 'origin', repo], { cwd: folder });
  }

  private leaseFrom(now: Date): string {
    return new Date(now.getTime() + this.options.leaseSeconds * 1_000).toISOString();
  }

  private isExpired(info: DeployLockInfo): boolean {
    return this.clock().getTime() > Date.parse(info.leaseUntil) + clockSkewSeconds * 1_000;
  }

  private heldBy(
    info: DeployLockInfo,
    outcome = 'nothing was started. Wait for their run to end, or ask them.',
  ): CockpitError {
    return new CockpitError(
      'LOCKED',
      `${info.environment} is being deployed by ${info.holder.name}${info.holder.email ? ` <${info.holder.email}>` : ''} (run ${info.runId}, since ${info.since}, lease until ${info.leaseUntil}): ${outcome}`,
      { holder: info.holder, runId: info.runId, leaseUntil: info.leaseUntil },
    );
  }
}

function isRaceLost(error: unknown): boolean {
  return /stale info|rejected|fetch first|already exists|non-fast-forward/i.test((error as Error)?.message ?? '');
}

function offline(error: unknown): CockpitError {
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
  return new CockpitError('TEAM_OFFLINE', `The team's mirror cannot be reached (${message}).`, { reason: message });
}

/**
 * Renews a held lock every `everyMs` until stopped: one renewal at a time (a mirror slower than the
 * interval never gets two pushes expecting the same commit), and each failure reported with what it
 * means — the run goes on, and past its lease plus the clock-skew margin another laptop may take
 * the lock over.
 */
export function keepRenewing(
  lock: HeldTeamLock,
  everyMs: number,
  onProblem: (message: string) => void,
): { stop(): void } {
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    lock
      .renew()
      .catch((error: unknown) => {
        const until = new Date(Date.parse(lock.info.leaseUntil) + clockSkewSeconds * 1_000).toISOString();
        onProblem(
          `The team lock of ${lock.info.environment} could not be renewed (${(error as Error).message}); the run goes on. If it is not renewed by ${until}, another laptop may take it over.`,
        );
      })
      .finally(() => (inFlight = false));
  }, everyMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}

/** The platform's team locks, through its ledger mirror; none without a mirror. */
export function teamLocksFor(
  platform: Platform,
  dataDir: string,
  options: { clock?: () => Date; deadlineMs?: number } = {},
): TeamLocks | undefined {
  const mirror = platform.ledger.mirror;
  if (!mirror) return undefined;
  return new TeamLocks({
    repo: mirror.repo,
    platformId: platform.id,
    folder: path.join(dataDir, 'ledger', platform.id, 'locks.git'),
    leaseSeconds: platform.policy.teamLockLeaseSeconds,
    host: os.hostname(),
    ...options,
  });
}
