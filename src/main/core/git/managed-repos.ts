/**
 * Clones the cockpit manages for services that name only a `repo.url`: made on first need in the
 * data folder (`<data>/repos/<platform>/<service>`, on the service's develop branch) with the user's
 * own git credentials, fetched before every step that reads or writes history, and fast-forwarded —
 * never reset: local work (commits not pushed, a dirty tree) is left as it is and said.
 *
 * Offline, the last fetch is used: the first failure is said once with the fetch's age, and the next
 * attempts back off (30 s, doubling to 10 min) instead of failing every service on every refresh.
 * A `repo.path` the user set always wins: such a repository is never cloned or fetched here.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import { gitValue, runGit } from './hardened-git';

/** The folder of a service's managed clone. */
export function managedRepoFolder(dataDir: string, platformId: string, serviceId: string): string {
  return path.join(dataDir, 'repos', platformId, serviceId);
}

/** The platform with each url-only service's `repo.path` at its managed clone (made on first need). */
export function withManagedRepos(platform: Platform, dataDir: string): Platform {
  return {
    ...platform,
    services: platform.services.map((service) =>
      service.repo.path || !service.repo.url
        ? service
        : { ...service, repo: { ...service.repo, path: managedRepoFolder(dataDir, platform.id, service.id) } },
    ),
  };
}

export interface ManagedRepoState {
  service: string;
  folder: string;
  isCloned: boolean;
  lastFetchedAt?: string;
  /** Why the last clone or fetch failed; reads use the last fetch meanwhile. */
  problem?: string;
  /** What the fast-forward left alone (local commits, a dirty tree). */
  notes: string[];
}

export interface ManagedProgress {
  /** "cloning 3/7" while clones are made. */
  cloning?: { done: number; total: number; service: string };
}

export interface ManagedReposOptions {
  platform: Platform;
  dataDir: string;
  clock?: () => Date;
  /** Each call to the remote ends within this. */
  deadlineMs?: number;
  onProgress?: (progress: ManagedProgress) => void;
  /** Said once per outage: "working from the fetch of …". */
  onOffline?: (message: string) => void;
  /** The hosts the cockpit may reach; a remote elsewhere is never cloned or fetched. */
  isHostAllowed?: (hostname: string) => boolean;
}

/** The host a git remote URL names (`https://h/…`, `ssh://u@h/…`, `u@h:path`); none for a local path. */
export function remoteHost(url: string): string | undefined {
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (withScheme) {
    if (withScheme[1]!.toLowerCase() === 'file') return undefined;
    try {
      return new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return url;
    }
  }
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)/.exec(url);
  return scpLike && !/^[a-z]$/i.test(scpLike[1]!) ? scpLike[1] : undefined;
}

const firstBackoffMs = 30_000;
const longestBackoffMs = 10 * 60_000;

interface Entry {
  state: ManagedRepoState;
  /** No fetch is tried before this while the remote fails. */
  retryAt: number;
  backoffMs: number;
  inFlight?: Promise<void>;
  cloneError?: CockpitError;
}

export class ManagedRepos {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: () => Date;

  constructor(private options: ManagedReposOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The platform changed (a reload): clones already made stay. */
  update(platform: Platform): void {
    this.options = { ...this.options, platform };
  }

  /** The service's clone is one this cockpit manages (no `repo.path` of the user's own). */
  isManaged(serviceId: string): boolean {
    const service = this.options.platform.services.find((candidate) => candidate.id === serviceId);
    return (
      service?.repo.url !== undefined &&
      service.repo.path === managedRepoFolder(this.options.dataDir, this.options.platform.id, serviceId)
    );
  }

  states(): ManagedRepoState[] {
    return this.options.platform.services
      .filter((service) => this.isManaged(service.id))
      .map((service) => ({ ...this.entry(service.id).state }));
  }

  /**
   * Makes sure the managed clones of `serviceIds` (all by default) exist and are fetched — fetched
   * again only when older than `maxAgeMs` (0: always). Never throws: a clone that cannot be made,
   * or a fetch that fails (the last fetch stays in use), is said in the service's state.
   */
  async prepare(serviceIds?: string[], options: { maxAgeMs?: number } = {}): Promise<ManagedRepoState[]> {
    const ids = (serviceIds ?? this.options.platform.services.map((service) => service.id)).filter((id) =>
      this.isManaged(id),
    );
    const missing = ids.filter((id) => !this.isCloned(id));
    let done = 0;
    const clone = async (id: string) => {
      this.options.onProgress?.({ cloning: { done, total: missing.length, service: id } });
      await this.once(id, () => this.clone(id)).catch((error: unknown) => {
        const entry = this.entry(id);
        entry.cloneError = error as CockpitError;
        entry.state.problem = (error as Error).message;
      });
      done++;
    };
    try {
      // Two clones at a time: enough to hide latency, few enough for a laptop on hotel Wi-Fi.
      const queue = [...missing];
      await Promise.all(
        [0, 1].map(async () => {
          for (let id = queue.shift(); id !== undefined; id = queue.shift()) await clone(id);
        }),
      );
    } finally {
      if (missing.length > 0) this.options.onProgress?.({});
    }
    const maxAgeMs = options.maxAgeMs ?? 0;
    await Promise.all(
      ids
        .filter((id) => !missing.includes(id) && this.isDue(id, maxAgeMs))
        .map((id) => this.once(id, () => this.fetch(id))),
    );
    return ids.map((id) => ({ ...this.entry(id).state }));
  }

  /** The folder of a managed service's clone, made and fetched first; throws when it cannot be made. */
  async folderOf(serviceId: string, options: { maxAgeMs?: number } = {}): Promise<string> {
    await this.prepare([serviceId], options);
    const entry = this.entry(serviceId);
    if (!entry.state.isCloned && entry.cloneError) throw entry.cloneError;
    return entry.state.folder;
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id);
    if (!entry) {
      const folder = managedRepoFolder(this.options.dataDir, this.options.platform.id, id);
      entry = {
        state: { service: id, folder, isCloned: existsSync(path.join(folder, '.git')), notes: [] },
        retryAt: 0,
        backoffMs: firstBackoffMs,
      };
      this.entries.set(id, entry);
    }
    return entry;
  }

  private isCloned(id: string): boolean {
    const entry = this.entry(id);
    entry.state.isCloned = existsSync(path.join(entry.state.folder, '.git'));
    return entry.state.isCloned;
  }

  private isDue(id: string, maxAgeMs: number): boolean {
    const { state, retryAt } = this.entry(id);
    const now = this.clock().getTime();
    if (now < retryAt) return false;
    return !state.lastFetchedAt || now - Date.parse(state.lastFetchedAt) >= maxAgeMs;
  }

  /** One clone or fetch of a repository at a time; a second caller waits for the first. */
  private async once(id: string, work: () => Promise<void>): Promise<void> {
    const entry = this.entry(id);
    entry.inFlight ??= work().finally(() => (entry.inFlight = undefined));
    return entry.inFlight;
  }

  private service(id: string) {
    return this.options.platform.services.find((candidate) => candidate.id === id)!;
  }

  private remoteCall(cwd?: string) {
    return { ...(cwd ? { cwd } : {}), deadlineMs: this.options.deadlineMs ?? 120_000 };
  }

  private requireReachable(id: string, url: string): void {
    const host = remoteHost(url);
    if (host !== undefined && this.options.isHostAllowed && !this.options.isHostAllowed(host))
      throw new CockpitError(
        'NOT_CONFIGURED',
        `${id}'s repository ${url} is on ${host}, outside the hosts the cockpit may reach: it was not cloned or fetched.`,
      );
  }

  private async clone(id: string): Promise<void> {
    const entry = this.entry(id);
    const service = this.service(id);
    this.requireReachable(id, service.repo.url!);
    const url = gitValue(service.repo.url!, `The repository URL of ${id}`);
    const branch = gitValue(service.repo.developBranch, `The develop branch of ${id}`);
    await mkdir(path.dirname(entry.state.folder), { recursive: true, mode: 0o700 });
    const partial = `${entry.state.folder}.cloning`;
    await rm(partial, { recursive: true, force: true });
    try {
      await runGit(['clone', '--quiet', '--', url, partial], this.remoteCall());
      await checkoutDevelop(partial, branch);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw cloneError(id, service.repo.url!, error);
    }
    // The clone appears whole or not at all: an interrupted clone never passes for a repository.
    await rename(partial, entry.state.folder);
    entry.state = {
      ...withoutProblem(entry.state),
      isCloned: true,
      lastFetchedAt: this.clock().toISOString(),
      notes: [],
    };
    delete entry.cloneError;
  }

  private async fetch(id: string): Promise<void> {
    const entry = this.entry(id);
    const service = this.service(id);
    const folder = entry.state.folder;
    try {
      this.requireReachable(id, service.repo.url!);
      await runGit(['fetch', '--quiet', '--prune', '--tags', 'origin'], this.remoteCall(folder));
    } catch (error) {
      const now = this.clock().getTime();
      const wasOnline = entry.state.problem === undefined;
      entry.state.problem = firstLine(error);
      entry.retryAt = now + entry.backoffMs;
      entry.backoffMs = Math.min(longestBackoffMs, entry.backoffMs * 2);
      if (wasOnline)
        this.options.onOffline?.(
          `${id}: could not fetch ${service.repo.url} (${entry.state.problem}); working from ${entry.state.lastFetchedAt ? `the fetch of ${entry.state.lastFetchedAt}` : 'the clone as it is'}, trying again in ${Math.round((entry.retryAt - now) / 1000)} s.`,
        );
      return;
    }
    const notes: string[] = [];
    for (const branch of new Set([service.repo.developBranch, service.repo.mainBranch])) {
      const note = await fastForward(folder, branch);
      if (note) notes.push(note);
    }
    entry.state = { ...withoutProblem(entry.state), lastFetchedAt: this.clock().toISOString(), notes };
    entry.retryAt = 0;
    entry.backoffMs = firstBackoffMs;
  }
}

async function checkoutDevelop(folder: string, branch: string): Promise<void> {
  const remoteBranch = await revision(folder, `refs/remotes/origin/${branch}`);
  if (!remoteBranch) return; // The remote has no develop branch yet: its default branch stays out.
  const current = (
    await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: folder }).catch(() => '')
  ).trim();
  if (current === branch) return;
  await runGit(['checkout', '--quiet', '-B', branch, '--track', `origin/${branch}`], { cwd: folder });
}

/**
 * Brings a local branch up to its fetched remote branch when that is a fast-forward; otherwise
 * leaves it and says why (nothing local is ever discarded).
 */
async function fastForward(folder: string, branch: string): Promise<string | undefined> {
  const git = (args: string[]) => runGit(args, { cwd: folder });
  const remote = await revision(folder, `refs/remotes/origin/${branch}`);
  if (!remote) return undefined;
  const local = await revision(folder, `refs/heads/${branch}`);
  if (!local) {
    await git(['branch', '--quiet', '--track', branch, `origin/${branch}`]);
    return undefined;
  }
  if (local === remote) return undefined;
  const isBehind = await git(['merge-base', '--is-ancestor', local, remote]).then(
    () => true,
    () => false,
  );
  if (!isBehind) {
    const isAhead = await git(['merge-base', '--is-ancestor', remote, local]).then(
      () => true,
      () => false,
    );
    return isAhead
      ? `${branch} has commits not pushed to origin: left as they are.`
      : `${branch} and origin/${branch} have diverged: left as it is; reconcile them in ${folder}.`;
  }
  const checkedOut = (await git(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).trim();
  if (checkedOut !== `refs/heads/${branch}`) {
    await git(['update-ref', `refs/heads/${branch}`, remote, local]);
    return undefined;
  }
  if ((await git(['status', '--porcelain'])).trim() !== '')
    return `${branch} is behind origin/${branch}, and the clone has uncommitted changes: not updated.`;
  await git(['merge', '--quiet', '--ff-only', `origin/${branch}`]);
  return undefined;
}

async function revision(folder: string, ref: string): Promise<string | undefined> {
  const sha = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: folder }).catch(() => '');
  return sha.trim() || undefined;
}

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0]!.slice(0, 300);
}

/** What to set up when a clone fails: credentials, the URL, the network. */
function cloneError(id: string, url: string, error: unknown): CockpitError {
  const message = firstLine(error);
  const isCredential =
    /Authentication failed|could not read Username|Permission denied \(publickey|terminal prompts disabled|Host key verification failed|invalid credentials|403/i.test(
      message,
    );
  return new CockpitError(
    isCredential ? 'GIT_CREDENTIALS' : 'GIT_FAILED',
    isCredential
      ? `Could not clone ${id} from ${url}: git has no credential for it (${message}). Set one up as for any git command — an SSH key in your agent (ssh-add) for ssh URLs, a credential helper (git config --global credential.helper …) or a token for https — then try again; the cockpit never prompts.`
      : `Could not clone ${id} from ${url} (${message}). Check the URL and that the remote answers, or set repo.path to a clone of your own.`,
    { service: id, url },
  );
}

function withoutProblem(state: ManagedRepoState): ManagedRepoState {
  const { problem: _solved, ...rest } = state;
  return rest;
}
