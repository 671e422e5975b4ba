/**
 * What every domain's handlers share: the cockpit's options, its clock, events and logger, and
 * the services of the open platform (replaced when another platform opens), each reached through
 * an accessor that says to open a platform when there is none.
 */
import type { AppInfo, IdentityView } from '../../shared/contract';
import type { CommandChannel } from '../../shared/channels';
import type { LedgerActor, LedgerVerification } from '../../shared/ledger-record';
import type { KeychainOpening } from './credentials/keychain';
import type { Vault } from './credentials/vault';
import type { DeployService } from './deploy/deploy-service';
import type { CommandHandlers } from './dispatcher';
import { CockpitError } from './errors';
import type { EventBus } from './event-bus';
import type { MatrixMonitor } from './health/matrix-monitor';
import type { HealthProber } from './health/prober';
import type { AuditTrail } from './ledger/audit-trail';
import type { PdfPrinter } from './ledger/write-report';
import type { Logger } from './logger';
import type { Redactor } from './logs/redactor';
import type { Platform } from './platform/schema';
import type { HoldBook } from './policy/holds';
import type { PolicyService } from './policy/policy-service';
import type { PostDeployWatch } from './policy/post-deploy-watch';
import type { RotationBook } from './policy/secret-rotation';
import type { SignoffBook } from './policy/signoffs';
import type { ReleaseService } from './release/release-service';
import type { ReachabilityCheck } from './rollback/network-check';
import type { RollbackService } from './rollback/rollback-service';
import type { CommsService } from './comms/comms-service';
import type { TeamLocks } from './team/team-lock';
import type { TeamSync, TeamSyncState } from './team/team-sync';
import type { StartLogHost } from './logs/log-bus-thread';

/** What the cockpit is built with: who it is, where its data lives, what it may reach. */
export interface CockpitOptions {
  name: string;
  version: string;
  runtime: AppInfo['runtime'];
  dataDir: string;
  /** The platform file to work on. */
  platformFile?: string;
  /** Creates (or resumes) the embedded demo platform and returns its file. */
  startDemo?: () => Promise<string>;
  /** With no platform file, the demo opens at start (a packaged app waits for a choice instead). */
  openDemoAtStart?: boolean;
  /** What only the desktop app can do with files: its open dialog, the editor, the file manager. */
  desktop?: DesktopShell;
  /** How often `app:heartbeat` is sent; 0 turns it off. */
  heartbeatIntervalMs?: number;
  clock?: () => Date;
  logger?: Logger;
  redactor?: Redactor;
  /** How the OS keychain is reached (tests inject an unavailable one). */
  openKeychain?: () => Promise<KeychainOpening>;
  hostPlatform?: NodeJS.Platform;
  hostArch?: string;
  /** Who acts, for the ledger (resolved from git or the OS user when not given). */
  actor?: LedgerActor;
  /** Probe timing (tests tighten it). */
  matrix?: {
    idleIntervalMs?: number;
    hotIntervalMs?: number;
    repoIntervalMs?: number;
    probeTimeoutMs?: number;
  };
  /** Hosts the cockpit may contact over HTTP (all by default; tests allow loopback only). */
  isHostAllowed?: (hostname: string) => boolean;
  /** Prints report HTML to PDF (Electron's printToPDF in the app; headless Chromium by default). */
  printPdf?: PdfPrinter;
  /**
   * Where deploy logs are masked, written and batched: the desktop app's utility process, whose
   * batches go straight to the window; a worker thread when not given.
   */
  startLogHost?: StartLogHost;
  /** How often each post-deploy watch reads Prometheus (60 s by default). */
  watchIntervalMs?: number;
  /** How often the outbox sends what is due (5 s by default; 0: only right after queueing). */
  outboxIntervalMs?: number;
  /** Whether a host a rollback step needs answers (tests simulate an outage). */
  isReachable?: ReachabilityCheck;
}

/** What only the desktop app can do with files. */
export interface DesktopShell {
  chooseFile(): Promise<string | undefined>;
  openInEditor(file: string): Promise<void>;
  revealInFolder(file: string): void;
}

/** The services of the open platform; none before a platform opens. */
export interface PlatformServices {
  platform?: Platform;
  vault?: Vault;
  audit?: AuditTrail;
  matrix?: MatrixMonitor;
  prober?: HealthProber;
  releases?: ReleaseService;
  deploys?: DeployService;
  policy?: PolicyService;
  signoffs?: SignoffBook;
  identityView?: () => Promise<IdentityView>;
  teamSync?: TeamSync;
  holds?: HoldBook;
  deployLocks?: TeamLocks;
  rollbacks?: RollbackService;
  rotations?: RotationBook;
  watches?: PostDeployWatch;
  comms?: CommsService;
  /** The signing key chosen in the settings, if any. */
  settingsKey?: string;
  lastVerification?: LedgerVerification;
}

/** The handlers of the channels whose domain is one of `Domains` (`'deploy'`, `'ledger' | 'metrics'`…). */
export type HandlersOf<Domains extends string> = {
  [K in CommandChannel as K extends `${Domains}:${string}` ? K : never]: CommandHandlers[K];
};

/** What the cockpit is made of before any accessor: its options, clock, events, logger, services. */
export interface CockpitParts {
  readonly options: CockpitOptions;
  readonly clock: () => Date;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly services: PlatformServices;
}

/** What a domain's handlers are given. */
export interface CockpitContext extends CockpitParts {
  /** What exists once a platform is loaded, or the typed error that says to open one. */
  whenLoaded<T>(value: T | undefined): T;
  requireVault(): Vault;
  requireAudit(): { audit: AuditTrail; platform: Platform };
  requireMatrix(): MatrixMonitor;
  requireReleases(): ReleaseService;
  requireDeploys(): DeployService;
  /** A deploy or a rollback runs here. */
  isBusy(): boolean;
  isProtectedEnvironment(environment: string): boolean;
  /** Syncs with the team's mirror now, if there is one; never throws (offline is a state). */
  syncTeam(): Promise<TeamSyncState | undefined>;
  /** Passes a result through after starting a sync that shares what was just recorded. */
  shared<T>(result: T): T;
}

const noPlatform = (what: string) =>
  new CockpitError('NO_PLATFORM', `No platform is loaded, so ${what}. Open a platform file first.`);

/** The context, with the accessors that say to open a platform when none is. */
export function createCockpitContext(base: CockpitParts): CockpitContext {
  const { services } = base;
  const context: CockpitContext = {
    ...base,
    whenLoaded: (value) => {
      if (value === undefined)
        throw new CockpitError('NO_PLATFORM', 'No platform is loaded: open a platform file first.');
      return value;
    },
    requireVault: () => services.vault ?? throwError(noPlatform('there are no credentials to manage')),
    requireAudit: () => {
      if (!services.audit || !services.platform) throw noPlatform('there is no ledger yet');
      return { audit: services.audit, platform: services.platform };
    },
    requireMatrix: () => services.matrix ?? throwError(noPlatform('there is no matrix yet')),
    requireReleases: () => services.releases ?? throwError(noPlatform('there is nothing to release')),
    requireDeploys: () => services.deploys ?? throwError(noPlatform('there is nothing to deploy')),
    isBusy: () => (services.deploys?.isBusy() ?? false) || (services.rollbacks?.isBusy() ?? false),
    isProtectedEnvironment: (environment) =>
      services.platform?.environments.some((candidate) => candidate.id === environment && candidate.protected) ?? false,
    syncTeam: async () => (services.teamSync ? services.teamSync.sync() : undefined),
    shared: (result) => {
      void context.syncTeam();
      return result;
    },
  };
  return context;
}

function throwError(error: Error): never {
  throw error;
}
