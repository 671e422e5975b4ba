/**
 * What a deploy run is given (the plan, its journal, the lock folder, the prober, the log sink…)
 * and what it reports: each step's status and how the run ended.
 */
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Backpressure } from '../logs/backpressure';
import type { Platform } from '../platform/schema';
import type { CommandResult, LoggedCommandOptions } from '../process/run-command';
import type { DeployJournal } from './journal';
import type { DeployPlan } from './plan';
import type { LogSink, ProviderFactory } from './provider';

export type StepStatus = 'pending' | 'running' | 'verifying' | 'succeeded' | 'failed' | 'skipped' | 'not-started';

export interface StepReport {
  service: string;
  version: string;
  status: StepStatus;
  detail: string;
  durationMs?: number;
}

export interface DeployRunOptions {
  platform: Platform;
  plan: DeployPlan;
  runId: string;
  journal: DeployJournal;
  /** Where environment locks live (`<data>/locks`). */
  lockFolder: string;
  prober: HealthProber;
  log: LogSink;
  /** Whether the run's log wants its producers to pause (a flooded terminal); never by default. */
  backpressure?: Backpressure;
  /** Runs a step's child with its output read into the run's log off the main loop (the log thread). */
  runLogged?: (service: string, command: readonly string[], options: LoggedCommandOptions) => Promise<CommandResult>;
  /** Builds each step's provider client; command, Coolify and webhook without a vault by default. */
  providers?: ProviderFactory;
  audit?: AuditTrail;
  onStepChanged?: (step: StepReport) => void;
  /** Steps running at once (each starts as soon as its dependencies are verified). */
  parallelism?: number;
  /** How long a step may take to report its target version healthy. */
  stepTimeoutMs?: number;
  pollIntervalMs?: number;
  /** How long resume watches a step whose trigger may not have happened before re-triggering it. */
  reconcileWindowMs?: number;
  signal?: AbortSignal;
  /** Continue an interrupted run from its journal instead of starting one. */
  resume?: boolean;
  /** The reviewed plan this run executes, journaled with the run. */
  planId?: string;
}

export interface DeployRunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  steps: StepReport[];
}
