/**
 * What the orchestrator asks of a deploy provider (command, Coolify, webhook): trigger a deploy
 * and follow it to its end, and — after an interruption — find out whether a step was already
 * triggered before deciding anything, because triggers are not idempotent.
 */
import type { Backpressure } from '../logs/backpressure';
import type { DeployProviderConfig } from '../platform/schema';
import type { CommandResult, LoggedCommandOptions } from '../process/run-command';

export interface StepContext {
  service: string;
  environment: string;
  version: string;
  /** Names this step's trigger: a command's child gets it in its environment (`COCKPIT_DEPLOY_TOKEN`). */
  token?: string;
  /** A level 1 rollback: a previous image the provider keeps, to redeploy as it is. */
  rollbackImage?: string;
}

/** A previous image a provider keeps for rolling back (Coolify's rollback images). */
export interface RollbackImage {
  tag: string;
  createdAt?: string;
  isCurrent: boolean;
}

/** A service instance to stop or start; the version it runs, when known. */
export interface LifecycleContext {
  service: string;
  environment: string;
  version?: string;
}

export interface TriggerOutcome {
  ok: boolean;
  detail: string;
}

export type LogSink = (service: string, text: string) => void;

export interface ProviderIo {
  /** The step's log lines, as the provider produces them. */
  log: (text: string) => void;
  signal: AbortSignal;
  /** A provider that reads a child's output pauses it while the log's consumer is behind. */
  backpressure?: Backpressure;
  /**
   * Runs a child whose output is the step's log, read where the log is kept (the log thread, off
   * the main event loop); without it, a provider runs and reads the child itself.
   */
  runLogged?: (command: readonly string[], options: LoggedCommandOptions) => Promise<CommandResult>;
}

export interface DeployIo extends ProviderIo {
  /**
   * Called once the provider has accepted the deploy — synchronously, before anything else:
   * `ref` names it there (a deployment uuid), `pid` is a command's child.
   */
  onTriggered: (ref?: string, pid?: number) => void;
}

/** What a reconciling read found. */
export type Reconciliation = { status: 'found'; ref: string; outcome: TriggerOutcome } | { status: 'none' };

export interface DeployProviderClient {
  /**
   * The provider's deployments of this service before a trigger, journaled with the intent so a
   * resume can tell a deployment this run triggered from older ones.
   */
  snapshot?(context: StepContext): Promise<string[]>;
  /** Triggers the deploy and follows it until the provider says it ended. */
  deploy(context: StepContext, io: DeployIo, snapshot?: string[]): Promise<TriggerOutcome>;
  /**
   * After an interruption: the deployment this step triggered — by its ref, or as one missing from
   * the snapshot — followed to its end. Providers that cannot be asked leave this out, and the
   * orchestrator decides from health and version alone.
   */
  reconcile?(
    context: StepContext,
    io: ProviderIo,
    known: { ref?: string; pid?: number; token?: string; snapshot?: string[] },
  ): Promise<Reconciliation>;
  /** The previous images it keeps for a rollback; providers without them leave it out. */
  rollbackImages?(context: LifecycleContext): Promise<RollbackImage[]>;
  /** Stops the running instance (level 3 rollbacks); providers that cannot leave it out. */
  stop?(context: LifecycleContext, io: ProviderIo): Promise<TriggerOutcome>;
  /** Starts the instance again at the version it ran; readiness is then read from health. */
  start?(context: LifecycleContext, io: ProviderIo): Promise<TriggerOutcome>;
}

/** Builds the client for one service's provider settings. */
export type ProviderFactory = (config: DeployProviderConfig) => DeployProviderClient;
