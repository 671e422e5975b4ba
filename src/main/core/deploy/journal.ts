/**
 * A deploy run's journal: every transition appended (one write, fsync) before the cockpit acts on
 * it, so a run interrupted by a crash can be read back step by step and resumed without
 * triggering any step twice.
 *
 * A crash mid-write can tear the last line. Like the ledger, the journal moves a torn tail aside
 * (`<run>.jsonl.torn-<time>`) before its next append — never glues the next entry to it, which
 * would hide that entry and resurrect a finished run — and reading leaves a torn tail out.
 */
import { existsSync, fsyncSync, openSync, closeSync, writeSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { appendLineDurably, writeFileAtomic } from '../atomic-file';

export interface JournaledPlanStep {
  service: string;
  version: string;
  action: string;
  dependsOn?: string[];
  runningVersion?: string;
  reason?: string;
}

export type JournalEntry =
  | {
      kind: 'run-started';
      runId: string;
      environment: string;
      /** The reviewed plan this run executes, when it came from one. */
      planId?: string;
      waves: JournaledPlanStep[][];
      at: string;
    }
  | {
      kind: 'step-intent';
      service: string;
      version: string;
      /** The provider's deployments before the trigger, to recognise the one this run started. */
      snapshot?: string[];
      /** Passed to a command's child in its environment, to find it again after a crash. */
      token?: string;
      at: string;
    }
  | {
      kind: 'step-triggered';
      service: string;
      /** The provider's name for the deploy: a pid, a Coolify deployment uuid. */
      ref?: string;
      pid?: number;
      at: string;
    }
  | { kind: 'step-finished'; service: string; status: 'succeeded' | 'failed' | 'skipped'; detail: string; at: string }
  | { kind: 'run-resumed'; at: string }
  | { kind: 'run-finished'; status: 'succeeded' | 'failed' | 'cancelled' | 'abandoned'; at: string };

export class DeployJournal {
  private isTailChecked = false;

  constructor(readonly file: string) {}

  static folder(dataDir: string, platformId: string): string {
    return path.join(dataDir, 'deploys', platformId);
  }

  async append(entry: JournalEntry): Promise<void> {
    await this.repairTail();
    await appendLineDurably(this.file, JSON.stringify(entry));
  }

  /**
   * Appends at once, blocking the thread for the one write and fsync: for the moment right after
   * a child process started, when not even an event-loop turn may pass before its pid is on disk.
   */
  appendNow(entry: JournalEntry): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The entries written so far; a torn last line (crash mid-write) is left out. */
  async read(): Promise<JournalEntry[]> {
    if (!existsSync(this.file)) return [];
    return parseEntries(await readFile(this.file, 'utf8')).entries;
  }

  /** Before the first append: a torn last line is moved aside and cut off. */
  private async repairTail(): Promise<void> {
    if (this.isTailChecked || !existsSync(this.file)) {
      this.isTailChecked = true;
      return;
    }
    const content = await readFile(this.file);
    const torn = content.length - (content.lastIndexOf(0x0a) + 1);
    if (torn > 0) {
      await writeFileAtomic(
        `${this.file}.torn-${new Date().toISOString().replaceAll(':', '-')}`,
        content.subarray(content.length - torn),
      );
      const handle = await open(this.file, 'r+');
      try {
        await handle.truncate(content.length - torn);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    this.isTailChecked = true;
  }
}

/** Every complete entry; a line that does not parse ends the readable part (a torn tail). */
function parseEntries(text: string): { entries: JournalEntry[] } {
  const entries: JournalEntry[] = [];
  const lines = text.split('\n');
  // The last element is what follows the final newline: empty, or a torn line.
  for (const line of lines.slice(0, -1)) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      break;
    }
  }
  return { entries };
}

/** A run's journal, summed up: when it started and how (and whether) it ended. */
export interface JournaledRun {
  file: string;
  runId: string;
  environment: string;
  startedAt: string;
  finished?: JournalEntry & { kind: 'run-finished' };
  entries: JournalEntry[];
}

/** Every run journaled in the folder, oldest first. */
export async function journaledRuns(folder: string): Promise<JournaledRun[]> {
  if (!existsSync(folder)) return [];
  const runs: JournaledRun[] = [];
  for (const name of (await readdir(folder)).filter((candidate) => candidate.endsWith('.jsonl'))) {
    const file = path.join(folder, name);
    const entries = await new DeployJournal(file).read();
    const started = entries.find((entry) => entry.kind === 'run-started');
    if (started?.kind !== 'run-started') continue;
    const finished = entries.find((entry) => entry.kind === 'run-finished');
    runs.push({
      file,
      runId: started.runId,
      environment: started.environment,
      startedAt: started.at,
      ...(finished?.kind === 'run-finished' ? { finished } : {}),
      entries,
    });
  }
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Runs in the folder that never wrote `run-finished`: interrupted. */
export async function interruptedRuns(folder: string): Promise<string[]> {
  return (await journaledRuns(folder)).filter((run) => !run.finished).map((run) => run.file);
}

/**
 * The interrupted run `--resume latest` means: the newest one, unless a run of its environment
 * started after it and finished — resuming would then put back what that later run replaced.
 */
export function latestResumable(runs: JournaledRun[]): { run?: JournaledRun; why?: string } {
  const interrupted = runs.filter((run) => !run.finished);
  const newest = interrupted.at(-1);
  if (!newest) return { why: 'there is no interrupted run to resume' };
  const later = runs.find(
    (run) => run.finished && run.environment === newest.environment && run.startedAt > newest.startedAt,
  );
  if (later)
    return {
      why: `the newest interrupted run (${newest.runId}) is older than run ${later.runId}, which finished ${later.finished!.status}: resuming it would redeploy what that run replaced. Abandon it, or name it with --resume <journal file> if you mean it.`,
    };
  return { run: newest };
}

export type JournaledStepState = 'pending' | 'intent' | 'triggered' | 'succeeded' | 'failed' | 'skipped';

/** What the journal knows of one step. */
export interface JournaledStep {
  state: JournaledStepState;
  ref?: string;
  pid?: number;
  token?: string;
  snapshot?: string[];
}

/** Each step as the journal tells it, with the provider's reference and snapshot when written. */
export function journaledSteps(entries: JournalEntry[]): Map<string, JournaledStep> {
  const steps = new Map<string, JournaledStep>();
  const started = entries.find((entry) => entry.kind === 'run-started');
  if (started?.kind === 'run-started')
    for (const wave of started.waves) for (const step of wave) steps.set(step.service, { state: 'pending' });
  for (const entry of entries) {
    if (entry.kind === 'step-intent')
      steps.set(entry.service, { state: 'intent', snapshot: entry.snapshot, token: entry.token });
    else if (entry.kind === 'step-triggered') {
      const known = steps.get(entry.service);
      steps.set(entry.service, {
        ...known,
        state: 'triggered',
        ref: entry.ref ?? (entry.pid === undefined ? undefined : String(entry.pid)),
        ...(entry.pid !== undefined ? { pid: entry.pid } : {}),
      });
    } else if (entry.kind === 'step-finished')
      steps.set(entry.service, { ...steps.get(entry.service), state: entry.status });
  }
  return steps;
}
