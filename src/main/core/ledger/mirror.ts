/**
 * Sharing the ledger through a git repository the team already runs: a sync of files, not a
 * server of our own. Each sync fetches the mirror's copy, merges it with the local chain (see
 * `mergeChains`: every clone converges to the same chain, no record lost), writes the result
 * locally, commits it on top of the mirror's branch and pushes — retrying if someone pushed first.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import { runGit } from '../git/hardened-git';
import { mergeChains, readChain, serializeRecord } from './chain';
import type { Ledger } from './ledger';

export interface MirrorSettings {
  /** The repository: a URL or a local path. */
  repo: string;
  branch: string;
  /** The ledger's file inside the repository. */
  file: string;
}

export interface MirrorSyncResult {
  /** Records that came from the mirror. */
  received: number;
  /** Records the mirror did not have before this sync. */
  sent: number;
  total: number;
  commit?: string;
}

const maxAttempts = 4;
/** Every call to the mirror ends within this (a mirror that never answers must not hang anyone). */
const defaultDeadlineMs = 60_000;

/** Fetches, merges, commits and pushes; `workFolder` holds the local clone of the mirror. */
export async function syncLedgerMirror(
  ledger: Ledger,
  settings: MirrorSettings,
  workFolder: string,
  options: { deadlineMs?: number } = {},
): Promise<MirrorSyncResult> {
  const call = { cwd: workFolder, deadlineMs: options.deadlineMs ?? defaultDeadlineMs };
  await ensureClone(settings, workFolder);
  for (let attempt = 1; ; attempt++) {
    await runGit(['fetch', '--quiet', 'origin'], call);
    const remote = await readRemoteChain(settings, workFolder);
    const localIds = new Set((await ledger.readAll()).map((record) => record.id));
    const merged = await ledger.rewrite((local) => {
      const result = mergeChains(local, remote);
      return sameChain(result, local) ? local : result;
    });
    const remoteIds = new Set(remote.map((record) => record.id));
    const received = [...remoteIds].filter((id) => !localIds.has(id)).length;
    const sent = merged.filter((record) => !remoteIds.has(record.id)).length;
    if (sameChain(merged, remote)) return { received, sent: 0, total: merged.length };

    const commit = await commitChain(settings, workFolder, merged, remote.length > 0);
    try {
      await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${settings.branch}`], call);
      return { received, sent, total: merged.length, commit };
    } catch (error) {
      if (attempt >= maxAttempts) {
        throw new CockpitError(
          'GIT_FAILED',
          `Could not push the ledger to ${settings.repo} after ${maxAttempts} attempts: ${(error as Error).message}`,
        );
      }
    }
  }
}

async function ensureClone(settings: MirrorSettings, workFolder: string): Promise<void> {
  if (existsSync(path.join(workFolder, '.git'))) return;
  await mkdir(path.dirname(workFolder), { recursive: true });
  await runGit(['clone', '--quiet', '--no-checkout', '--', settings.repo, workFolder], {
    deadlineMs: defaultDeadlineMs,
  });
  await runGit(['config', 'user.name', 'Release Cockpit ledger'], { cwd: workFolder });
  await runGit(['config', 'user.email', 'ledger@release-cockpit.invalid'], { cwd: workFolder });
}

async function readRemoteChain(settings: MirrorSettings, workFolder: string): Promise<LedgerRecord[]> {
  const ref = `refs/remotes/origin/${settings.branch}`;
  try {
    await runGit(['rev-parse', '--quiet', '--verify', ref], { cwd: workFolder });
  } catch {
    return [];
  }
  let text: string;
  try {
    text = await runGit(['show', `${ref}:${settings.file}`], { cwd: workFolder });
  } catch {
    return [];
  }
  const { records, verification } = readChain(text);
  if (!verification.isValid || verification.tornTail) {
    const where = verification.problem
      ? `line ${verification.problem.line}: ${verification.problem.message}`
      : 'a torn last line';
    throw new CockpitError(
      'LEDGER_INVALID',
      `The mirror's copy of the ledger fails verification (${where}); nothing was merged.`,
    );
  }
  return records;
}

async function commitChain(
  settings: MirrorSettings,
  workFolder: string,
  records: LedgerRecord[],
  hasRemote: boolean,
): Promise<string> {
  if (hasRemote)
    await runGit(['checkout', '--quiet', '-B', settings.branch, `origin/${settings.branch}`], { cwd: workFolder });
  else await runGit(['checkout', '--quiet', '--orphan', settings.branch], { cwd: workFolder });
  const target = path.resolve(workFolder, settings.file);
  if (!target.startsWith(path.resolve(workFolder) + path.sep)) {
    throw new CockpitError(
      'BAD_INPUT',
      `The mirror's file "${settings.file}" would be written outside the mirror's clone: name a path inside the repository.`,
    );
  }
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await writeFile(target, records.map((record) => `${serializeRecord(record)}\n`).join(''), { mode: 0o600 });
  await runGit(['add', '--', settings.file], { cwd: workFolder });
  const head = records.at(-1)!;
  await runGit(['commit', '--quiet', '-m', `ledger: ${records.length} records, head ${head.hash.slice(0, 12)}`], {
    cwd: workFolder,
  });
  return (await runGit(['rev-parse', 'HEAD'], { cwd: workFolder })).trim();
}

function sameChain(a: LedgerRecord[], b: LedgerRecord[]): boolean {
  return a.length === b.length && a.every((record, index) => record.hash === b[index]!.hash);
}

/** How the local ledger stands against the mirror's copy: the mirror's history as a second anchor. */
export interface MirrorComparison {
  state: 'in-step' | 'ahead' | 'behind' | 'diverged' | 'unreachable';
  /** Records the mirror has that this ledger lacks. */
  missingHere: number;
  /** Records not shared yet. */
  notShared: number;
  /** A record both have but with different content: the first one, by the mirror's line. */
  diverged?: { mirrorLine: number; localLine: number; id: string };
  /** When the mirror could not be fetched: why (the comparison uses the last fetch, if any). */
  fetchProblem?: string;
  message: string;
}

/**
 * Compares the local chain with the mirror's (fetched now when possible; else the last fetch). The
 * chain merge keeps every record's content (it only re-links), so a record whose content differs
 * between the two was changed on one side.
 */
export async function compareWithMirror(
  local: readonly LedgerRecord[],
  settings: MirrorSettings,
  workFolder: string,
  contentOf: (record: LedgerRecord) => string,
): Promise<MirrorComparison> {
  let fetchProblem: string | undefined;
  try {
    await ensureClone(settings, workFolder);
    await runGit(['fetch', '--quiet', 'origin'], { cwd: workFolder, deadlineMs: defaultDeadlineMs });
  } catch (error) {
    fetchProblem = (error as Error).message.split('\n')[0]!.slice(0, 300);
    if (!existsSync(path.join(workFolder, '.git')))
      return {
        state: 'unreachable',
        missingHere: 0,
        notShared: 0,
        fetchProblem,
        message: `the mirror ${settings.repo} could not be reached (${fetchProblem}): only the local anchor was checked`,
      };
  }
  const remote = await readRemoteChain(settings, workFolder);
  const localById = new Map(local.map((record) => [record.id, record]));
  const remoteIds = new Set(remote.map((record) => record.id));
  let missingHere = 0;
  let diverged: MirrorComparison['diverged'];
  for (const record of remote) {
    const mine = localById.get(record.id);
    if (!mine) missingHere++;
    else if (!diverged && contentOf(mine) !== contentOf(record))
      diverged = { mirrorLine: record.seq, localLine: mine.seq, id: record.id };
  }
  const notShared = local.filter((record) => !remoteIds.has(record.id)).length;
  const stale = fetchProblem ? ` (from the last fetch: ${fetchProblem})` : '';
  if (diverged)
    return {
      state: 'diverged',
      missingHere,
      notShared,
      diverged,
      ...(fetchProblem ? { fetchProblem } : {}),
      message: `line ${diverged.localLine} differs from the same record on the mirror (its line ${diverged.mirrorLine}): one copy was changed${stale}`,
    };
  const state = missingHere > 0 ? 'behind' : notShared > 0 ? 'ahead' : 'in-step';
  const message =
    state === 'behind'
      ? `${missingHere} record(s) on the mirror are not here: the local ledger is behind (run \`cockpit ledger sync\`), or records were cut from it${stale}`
      : state === 'ahead'
        ? `${notShared} record(s) not shared with the mirror yet${stale}`
        : `in step with the mirror${stale}`;
  return { state, missingHere, notShared, ...(fetchProblem ? { fetchProblem } : {}), message };
}
