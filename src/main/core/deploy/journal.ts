/**
 * A deploy run's journal: every transition appended (one write, fsync) before the cockpit acts on
 * it, so a run interrupted by a crash can be read back step by step and resumed without
 * triggering any step twice.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { appendLineDurably } from '../atomic-file';

export type JournalEntry =
  | {
      kind: 'run-started';
      runId: string;
      environment: string;
      waves: { service: string; version: string; action: string }[][];
      at: string;
    }
  | {
      kind: 'step-intent';
      service: string;
      version: string;
      /** The provider's deployments before the trigger, to recognise the one this run started. */
      snapshot?: string[];
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
  | { kind: 'run-finished'; status: 'succeeded' | 'failed' | 'cancelled' | 'abandoned'; at: string };

export class DeployJournal {
  constructor(readonly file: string) {}

  static folder(dataDir: string, platformId: string): string {
    return path.join(dataDir, 'deploys', platformId);
  }

  async append(entry: JournalEntry): Promise<void> {
    await appendLineDurably(this.file, JSON.stringify(entry));
  }

  /** The entries written so far; a torn last line (crash mid-write) is left out. */
  async read(): Promise<JournalEntry[]> {
    if (!existsSync(this.file)) return [];
    const lines = (await readFile(this.file, 'utf8')).split('\n');
    const entries: JournalEntry[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        break;
      }
    }
    return entries;
  }
}

/** Runs in the folder that never wrote `run-finished`: interrupted. */
export async function interruptedRuns(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const files = (await readdir(folder)).filter((name) => name.endsWith('.jsonl'));
  const interrupted: string[] = [];
  for (const name of files) {
    const entries = await new DeployJournal(path.join(folder, name)).read();
    if (entries.length > 0 && !entries.some((entry) => entry.kind === 'run-finished'))
      interrupted.push(path.join(folder, name));
  }
  return interrupted;
}

export type JournaledStepState = 'pending' | 'intent' | 'triggered' | 'succeeded' | 'failed' | 'skipped';

/** What the journal knows of one step. */
export interface JournaledStep {
  state: JournaledStepState;
  ref?: string;
  snapshot?: string[];
}

/** Each step as the journal tells it, with the provider's reference and snapshot when written. */
export function journaledSteps(entries: JournalEntry[]): Map<string, JournaledStep> {
  const steps = new Map<string, JournaledStep>();
  const started = entries.find((entry) => entry.kind === 'run-started');
  if (started?.kind === 'run-started')
    for (const wave of started.waves) for (const step of wave) steps.set(step.service, { state: 'pending' });
  for (const entry of entries) {
    const known = steps.get(entry.kind === 'run-started' || entry.kind === 'run-finished' ? '' : entry.service);
    if (entry.kind === 'step-intent') steps.set(entry.service, { state: 'intent', snapshot: entry.snapshot });
    else if (entry.kind === 'step-triggered')
      steps.set(entry.service, {
        ...known,
        state: 'triggered',
        ref: entry.ref ?? (entry.pid === undefined ? undefined : String(entry.pid)),
      });
    else if (entry.kind === 'step-finished') steps.set(entry.service, { ...known, state: entry.status });
  }
  return steps;
}
