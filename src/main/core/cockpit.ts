/**
 * The core, composed: one object that implements every command of the contract and emits its
 * events. Transports (Electron IPC, the loopback bridge, the CLI) wrap it; none of them adds logic.
 */
import path from 'node:path';
import type { AppInfo, CredentialList, EventPayload, IdentityView, PlatformState } from '../../shared/contract';
import type { LedgerActor, LedgerVerification } from '../../shared/ledger-record';
import type { Reply } from '../../shared/reply';
import type { KeychainOpening } from './credentials/keychain';
import { openVault } from './credentials/open-vault';
import type { Vault } from './credentials/vault';
import { createDispatcher, type CommandHandlers } from './dispatcher';
import { MatrixMonitor } from './health/matrix-monitor';
import { HealthProber } from './health/prober';
import { CockpitError } from './errors';
import { EventBus } from './event-bus';
import { createLogger, type Logger } from './logger';
import { Redactor } from './logs/redactor';
import { resolveActor } from './ledger/actor';
import { AuditTrail } from './ledger/audit-trail';
import { Ledger } from './ledger/ledger';
import { createLedgerCommands } from './ledger/ledger-commands';
import { loadPlatformFile } from './platform/load';
import { gitHubProvider } from './ci/ci-provider';
import { releaseCalendar } from './policy/release-calendar';
import { ReleaseService } from './release/release-service';
import { DeployService } from './deploy/deploy-service';
import { evaluateGates } from './policy/gate-evaluation';
import { currentOsUser, PolicyService } from './policy/policy-service';
import { SignoffBook } from './policy/signoffs';
import { rosterActor, trustedRecords } from './identity/authority';
import { identityReport, type IdentityReport } from './identity/identity';
import { loadSigningKey } from './identity/signing-key';
import { createRecordSigner } from './identity/record-signer';
import { readSettings, writeSettings } from './settings';
import { HoldBook } from './policy/holds';
import { deployLockView, teamLocksFor, type DeployLockInfo, type TeamLocks } from './team/team-lock';
import { TeamSync } from './team/team-sync';
import { ManagedRepos, withManagedRepos } from './git/managed-repos';
import { importFromCoolify } from './platform/coolify-import';
import { PlatformFileWatcher, recentPlatforms, rememberPlatform, withLineText } from './platform/platform-files';
import { createProviderFactory } from './deploy/provider-factory';
import { RollbackService } from './rollback/rollback-service';
import { CommsService } from './comms/comms-service';
import { postMortemDraft } from './comms/post-mortem';
import { deployNotices } from './comms/deploy-notices';
import { RotationBook } from './policy/secret-rotation';
import { PostDeployWatch } from './policy/post-deploy-watch';
import { writeMonthlyReport, type PdfPrinter } from './ledger/write-report';
import { platformMetrics } from './ledger/platform-metrics';
import type { ReachabilityCheck } from './rollback/network-check';
import { formatProblem } from './platform/problems';
import type { Platform } from './platform/schema';
import { summarizePlatform } from './platform/summary';

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
  /** How often each post-deploy watch reads Prometheus (60 s by default). */
  watchIntervalMs?: number;
  /** How often the outbox sends what is due (5 s by default; 0: only right after queueing). */
  outboxIntervalMs?: number;
  /** Whether a host a rollback step needs answers (tests simulate an outage). */
  isReachable?: ReachabilityCheck;
}

export const defaultHeartbeatIntervalMs = 5_000;

export interface Cockpit {
  readonly events: EventBus;
  readonly logger: Logger;
  readonly redactor: Redactor;
  /** Runs a command from any transport; always resolves with a Reply. */
  dispatch(channel: unknown, payload: unknown): Promise<Reply<unknown>>;
  /** Loads the platform, opens the vault, starts background work. */
  start(): Promise<void>;
  /** Stops background work; safe to call twice. */
  stop(): void;
}

export interface DesktopShell {
  chooseFile(): Promise<string | undefined>;
  openInEditor(file: string): Promise<void>;
  revealInFolder(file: string): void;
}

/** Builds the core. */
export function createCockpit(options: CockpitOptions): Cockpit {
  const clock = options.clock ?? (() => new Date());
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? createLogger({ clock, redact: (text) => redactor.redact(text) });
  const events = new EventBus();
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let heartbeatSequence = 0;
  let platformState: PlatformState = { platform: null, problems: ['No platform file is configured.'] };
  /** The file the open platform was read from (watched: a save reloads it). */
  let openedFile: { file: string; source: 'file' | 'demo' } | undefined;
  let isReloadPending = false;
  const isBusy = () => (deploys?.isBusy() ?? false) || (rollbacks?.isBusy() ?? false);
  /** A save of the open file reloads it, or waits for the deploy or rollback under way to end. */
  const reloadOnSave = async (file: string) => {
    if (!openedFile || openedFile.file !== file) return;
    if (isBusy()) {
      isReloadPending = true;
      platformState = { ...platformState, isReloadPending: true };
      events.emit('platform:changed', platformState);
      return;
    }
    isReloadPending = false;
    await openPlatform(openedFile);
    await announcePlatform();
  };
  const fileWatcher = new PlatformFileWatcher((file) => void reloadOnSave(file).catch(() => undefined));
  let platform: Platform | undefined;
  let vault: Vault | undefined;
  let audit: AuditTrail | undefined;
  let matrix: MatrixMonitor | undefined;
  let prober: HealthProber | undefined;
  let releases: ReleaseService | undefined;
  let deploys: DeployService | undefined;
  let lastVerification: LedgerVerification | undefined;

  const requireVault = (): Vault => {
    if (!vault) {
      throw new CockpitError(
        'NO_PLATFORM',
        'No platform is loaded, so there are no credentials to manage. Open a platform file first.',
      );
    }
    return vault;
  };

  const requireAudit = (): { audit: AuditTrail; platform: Platform } => {
    if (!audit || !platform) {
      throw new CockpitError(
        'NO_PLATFORM',
        'No platform is loaded, so there is no ledger yet. Open a platform file first.',
      );
    }
    return { audit, platform };
  };

  const ledgerCommands = createLedgerCommands(() => {
    const current = requireAudit();
    return {
      ledger: current.audit.ledger,
      platform: current.platform,
      dataDir: options.dataDir,
      clock,
      lastVerification: () => lastVerification,
      onVerified: (verification) => {
        lastVerification = verification;
        events.emit('ledger:verified', verification);
      },
    };
  });

  const requireMatrix = (): MatrixMonitor => {
    if (!matrix)
      throw new CockpitError(
        'NO_PLATFORM',
        'No platform is loaded, so there is no matrix yet. Open a platform file first.',
      );
    return matrix;
  };

  let policy: PolicyService | undefined;
  let signoffs: SignoffBook | undefined;
  let identityView: (() => Promise<IdentityView>) | undefined;
  let teamSync: TeamSync | undefined;
  let holds: HoldBook | undefined;
  let deployLocks: TeamLocks | undefined;
  const requireHolds = () => whenLoaded(holds);
  const teamLocksView = async () => {
    let locks: DeployLockInfo[] = [];
    let problem: string | undefined;
    try {
      locks = (await deployLocks?.list()) ?? [];
    } catch (error) {
      problem = (error as Error).message;
    }
    return {
      deployLocks: locks.map(deployLockView),
      holds: await requireHolds().list(),
      ...(problem ? { problem } : {}),
    };
  };
  /** Syncs with the team's mirror now, if there is one; never throws (offline is a state). */
  const syncTeam = async () => (teamSync ? teamSync.sync() : undefined);
  /** Passes a result through after starting a sync that shares what was just recorded. */
  const shared = <T>(result: T): T => {
    void syncTeam();
    return result;
  };
  const isProtectedEnvironment = (environment: string) =>
    platform?.environments.some((candidate) => candidate.id === environment && candidate.protected) ?? false;
  let settingsKey: string | undefined;
  let rollbacks: RollbackService | undefined;
  let rotations: RotationBook | undefined;
  let watches: PostDeployWatch | undefined;
  let comms: CommsService | undefined;
  /** What exists once a platform is loaded, or the typed error that says to open one. */
  const whenLoaded = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new CockpitError('NO_PLATFORM', 'No platform is loaded: open a platform file first.');
    return value;
  };
  const requireRotations = () => whenLoaded(rotations);
  const requireComms = () => whenLoaded(comms);
  const requireRollbacks = () => whenLoaded(rollbacks);
  const requireSignoffs = () => whenLoaded(signoffs);
  const requirePolicy = () => whenLoaded(policy);
  const requireIdentity = () => whenLoaded(identityView);
  const requireReleases = (): ReleaseService => {
    if (!releases)
      throw new CockpitError(
        'NO_PLATFORM',
        'No platform is loaded, so there is nothing to release. Open a platform file first.',
      );
    return releases;
  };

  const requireDeploys = (): DeployService => {
    if (!deploys)
      throw new CockpitError(
        'NO_PLATFORM',
        'No platform is loaded, so there is nothing to deploy. Open a platform file first.',
      );
    return deploys;
  };

  const credentialList = async (): Promise<CredentialList> => {
    const current = requireVault();
    return { status: current.status(), credentials: await current.list() };
  };

  const announceCredentials = async () => events.emit('credentials:changed', await credentialList());

  // A succeeded deploy to a protected environment starts the post-deploy watch (R21).
  // A save of the platform file during a run is applied once nothing runs any more.
  const stopReloadingLater = events.subscribe((channel, payload) => {
    const isOver =
      channel === 'deploy:finished' ||
      (channel === 'rollback:progress' && (payload as EventPayload<'rollback:progress'>).status !== 'running');
    if (isOver && isReloadPending && openedFile)
      setImmediate(() => void reloadOnSave(openedFile!.file).catch(() => undefined));
  });
  const stopWatchingDeploys = events.subscribe((channel, payload) => {
    if (channel !== 'deploy:finished') return;
    const { runId, status } = payload as EventPayload<'deploy:finished'>;
    if (status !== 'succeeded' || !watches || !audit || !platform) return;
    const [watch, trail, loaded] = [watches, audit, platform];
    void (async () => {
      const started = (await trail.ledger.readAll()).find(
        (record) => record.action === 'deploy.started' && record.correlationId === runId,
      );
      const environment = loaded.environments.find((candidate) => candidate.id === started?.environment);
      if (started && environment?.protected) await watch.watch(runId, environment.id, new Date(started.time));
    })().catch((error: unknown) =>
      logger.warn('The post-deploy watch could not start', { error: (error as Error).message }),
    );
  });

  const handlers: CommandHandlers = {
    'app:info': () => ({
      name: options.name,
      version: options.version,
      platform: options.hostPlatform ?? process.platform,
      arch: options.hostArch ?? process.arch,
      runtime: options.runtime,
      dataDir: options.dataDir,
    }),
    'platform:current': () => platformState,
    'platform:open': async (input) => {
      if (isBusy())
        throw new CockpitError(
          'LOCKED',
          'A deploy or a rollback is under way here: open another platform once it ends.',
        );
      const resolved =
        'demo' in input ? await startDemoPlatform() : { file: path.resolve(input.file), source: 'file' as const };
      if (!resolved) return platformState;
      if (await openPlatform(resolved))
        await rememberPlatform(
          options.dataDir,
          { file: resolved.file, name: platform!.name, isDemo: resolved.source === 'demo' },
          clock(),
        );
      await announcePlatform();
      return platformState;
    },
    'platform:recent': async () => ({
      recent: await recentPlatforms(options.dataDir),
      canChooseFile: options.desktop !== undefined,
      canOpenInEditor: options.desktop !== undefined,
    }),
    'platform:choose-file': async () => {
      if (!options.desktop)
        throw new CockpitError(
          'NOT_CONFIGURED',
          'There is no file dialog in the browser: type the platform file’s path.',
        );
      const file = await options.desktop.chooseFile();
      return file ? { file } : {};
    },
    'platform:reveal': async ({ how }) => {
      const file = platformState.problemsFile ?? openedFile?.file;
      if (!options.desktop || !file)
        throw new CockpitError('NOT_CONFIGURED', 'Only the desktop app opens files in an editor or a folder.');
      if (how === 'editor') await options.desktop.openInEditor(file);
      else options.desktop.revealInFolder(file);
      return {};
    },
    'platform:import-coolify': async ({ apiUrl, token, project, out }) => {
      if (isBusy()) throw new CockpitError('LOCKED', 'A deploy or a rollback is under way here: import once it ends.');
      const written = await importFromCoolify({ apiUrl, token, project, out });
      if (await openPlatform({ file: written.file, source: 'file' })) {
        await rememberPlatform(options.dataDir, { file: written.file, name: platform!.name, isDemo: false }, clock());
        // The token goes into the keychain as the credential the deploys read, never into the file.
        await requireVault().set(written.tokenCredential, token);
      }
      await announcePlatform();
      return {
        file: written.file,
        services: written.services,
        environments: written.environments,
        state: platformState,
      };
    },
    'credentials:list': () => credentialList(),
    'credentials:set': async ({ id, value }) => {
      const current = requireVault();
      const summary = await requireAudit().audit.around(
        {
          action: 'credential.set',
          summary: `Credential ${id} set (the value is kept in the keychain only)`,
          details: { credential: id },
        },
        () => current.set(id, value),
      );
      logger.info('Credential set', { credential: id });
      await announceCredentials();
      return summary;
    },
    'credentials:delete': async ({ id }) => {
      const current = requireVault();
      const summary = await requireAudit().audit.around(
        {
          action: 'credential.deleted',
          summary: `Credential ${id} deleted from the keychain`,
          details: { credential: id },
        },
        () => current.delete(id),
      );
      logger.info('Credential deleted', { credential: id });
      await announceCredentials();
      return summary;
    },
    'ledger:query': (input) => ledgerCommands.query(input),
    'ledger:verify': () => ledgerCommands.verify(),
    'ledger:export': (input) => ledgerCommands.export(input),
    'ledger:sync': () => ledgerCommands.sync(),
    'deploy:plan': (input) => requireDeploys().plan(input),
    'deploy:start': async (input) => {
      // Before a protected deploy the team's holds, approvals and sign-offs are fetched first.
      const environment = await requireDeploys().planEnvironment(input.planId);
      if (environment && isProtectedEnvironment(environment)) await syncTeam();
      const started = await requireDeploys().start(input);
      if (environment && isProtectedEnvironment(environment)) void syncTeam();
      return started;
    },
    'team:status': () => teamSync?.state() ?? { isConfigured: false, toShare: 0 },
    'team:locks': async () => teamLocksView(),
    'team:hold': async ({ environment, service, lift, reason }) => {
      const book = requireHolds();
      if (isProtectedEnvironment(environment)) await syncTeam();
      if (lift) await book.lift(environment, service, reason);
      else await book.place(environment, service, reason);
      void syncTeam();
      return teamLocksView();
    },
    'team:sync': async () => (await syncTeam()) ?? { isConfigured: false, toShare: 0 },
    'deploy:log-ack': ({ runId, characters }) => {
      deploys?.acknowledge(runId, characters);
      return {};
    },
    'deploy:runs': () => (deploys ? deploys.runs() : { running: [], interrupted: [] }),
    'deploy:resume': ({ runId, allowDowngrade }) => requireDeploys().resume(runId, allowDowngrade),
    'deploy:history': ({ environment }) => requireDeploys().history(environment),
    'deploy:read-log': ({ runId }) => requireDeploys().readLog(runId),
    'deploy:mark': (input) => requireDeploys().mark(input),
    'deploy:abandon': async ({ runId }) => {
      await requireDeploys().abandon(runId);
      return {};
    },
    'deploy:promotion': () => requireDeploys().promotion(),
    'policy:window': ({ environment }) => requirePolicy().window(environment),
    'policy:identity': () => requireIdentity()(),
    'identity:set-signing-key': async ({ key }) => {
      const value = key.trim();
      if (value) await loadSigningKey({ source: 'settings', value });
      const settings = await readSettings(options.dataDir);
      const { signingKey: _previous, ...rest } = settings;
      await writeSettings(options.dataDir, value ? { ...rest, signingKey: value } : rest);
      settingsKey = value || undefined;
      return requireIdentity()();
    },
    'approvals:list': async () => ({ approvals: await requirePolicy().approvals() }),
    // Requests and decisions are shared with the team as soon as they are recorded.
    'approvals:request-exception': async ({ environment, ...request }) =>
      shared(await requirePolicy().requestException(environment, request)),
    'approvals:request-override': async ({ environment, gates, reason }) =>
      shared(await requirePolicy().requestOverride(environment, gates, reason)),
    'approvals:decide': async ({ id, decision, reason }) => {
      await syncTeam();
      return shared(await requirePolicy().decide(id, decision, reason));
    },
    'rollback:triage': ({ service, environment, symptom }) => requireRollbacks().triage(service, environment, symptom),
    'rollback:choices': ({ service, environment, level }) => requireRollbacks().choices(service, environment, level),
    'rollback:start': async (request) => {
      // A rollback never waits for the team: it starts, and its records are shared after.
      const started = await requireRollbacks().start(request);
      void syncTeam();
      return started;
    },
    'rollback:decide': ({ rollbackId, decision }) => requireRollbacks().decide(rollbackId, decision),
    'metrics:report': async ({ environment, sinceDays }) => {
      const { audit: trail, platform: loaded } = requireAudit();
      if (!loaded.environments.some((candidate) => candidate.id === environment))
        throw new CockpitError('NOT_FOUND', `${loaded.name} has no environment "${environment}".`);
      const to = clock();
      const period = { from: new Date(to.getTime() - sinceDays * 86_400_000), to };
      return platformMetrics(loaded, await trail.ledger.readAll(), environment, period);
    },
    'comms:queue': async ({ channel, kind, text, correlationId }) => {
      const message = await requireComms().queue({ channel, kind, text, correlationId });
      return { messageId: message.id, queuedAt: message.queuedAt };
    },
    'postmortem:draft': async ({ rollbackId }) => {
      const { audit: trail, platform: loaded } = requireAudit();
      const markdown = postMortemDraft(await trail.ledger.readAll(), rollbackId, loaded.policy.timeZone);
      if (!markdown) throw new CockpitError('NOT_FOUND', `The ledger has no rollback ${rollbackId}.`);
      return { markdown };
    },
    'rotation:list': async () => ({ secrets: await requireRotations().list() }),
    'rotation:check': async ({ secretId, step, note }) => ({
      secrets: await requireRotations().check(secretId, step, note),
    }),
    'comms:deploy-notices': async ({ runId }) => {
      const { audit: trail, platform: loaded } = requireAudit();
      return deployNotices(loaded, await trail.ledger.readAll(), runId, (service, from, to) =>
        requireReleases().notes(service, from, to),
      );
    },
    'watch:list': async () => ({ watches: watches ? await watches.list() : [] }),
    'report:monthly': async ({ month }) => {
      const { audit: trail, platform: loaded } = requireAudit();
      return writeMonthlyReport({
        platform: loaded,
        records: await trail.ledger.readAll(),
        month,
        folder: path.join(options.dataDir, 'reports'),
        now: clock(),
        printPdf: options.printPdf,
      });
    },
    'comms:outbox': async () => ({ messages: await requireComms().list() }),
    'comms:cancel': async ({ messageId }) => ({ messages: await requireComms().cancel(messageId) }),
    'comms:test-channel': async ({ channel }) => requireComms().sendTest(channel, (await requireIdentity()()).name),
    'comms:resolve': async ({ messageId, resolution }) => ({
      messages: await requireComms().resolve(messageId, resolution),
    }),
    'signoff:checklist': ({ release }) => requireSignoffs().checklist(release ?? requirePolicy().signoffRelease()),
    'signoff:sign': ({ release, item, note }) =>
      requireSignoffs().sign(release ?? requirePolicy().signoffRelease(), item, note),
    'signoff:revoke': ({ release, item, reason }) =>
      requireSignoffs().revoke(release ?? requirePolicy().signoffRelease(), item, reason),
    'policy:override': ({ environment, gates, reason }) => requirePolicy().overrideGates(environment, gates, reason),
    'policy:approve-hotfix': ({ environment, category, reason }) =>
      requirePolicy().approveHotfix(environment, category, reason),
    'deploy:promote': (input) => requireDeploys().promote(input),
    'deploy:cancel': ({ runId }) => {
      requireDeploys().cancel(runId);
      return {};
    },
    'release:plan': ({ service }) => requireReleases().plan(service),
    'release:preview': ({ service, bump }) => requireReleases().preview(service, bump),
    'release:cut': ({ service, bump, expectedVersion }) => requireReleases().cut(service, bump, expectedVersion),
    'release:ci': ({ service, ref }) => requireReleases().ci(service, ref),
    'release:history': ({ service, limit }) => requireReleases().history(service, limit),
    'release:calendar': () => {
      if (!platform) throw new CockpitError('NO_PLATFORM', 'No platform is loaded, so there is no release calendar.');
      return releaseCalendar(platform, clock());
    },
    'matrix:get': () => requireMatrix().snapshot(),
    'matrix:refresh': () => requireMatrix().refresh(),
    'matrix:details': async ({ service }) => {
      const monitor = requireMatrix();
      if (!platform?.services.some((candidate) => candidate.id === service)) {
        throw new CockpitError('NOT_FOUND', `"${service}" is not a service of ${platform?.name ?? 'this platform'}.`);
      }
      const records = audit ? await audit.ledger.readAll() : [];
      const deployments = records
        .filter((record) => record.action.startsWith('deploy.') && record.services?.includes(service))
        .slice(-20)
        .reverse();
      return monitor.details(service, deployments);
    },
  };

  const dispatch = createDispatcher(handlers, (channel, error) =>
    logger.error('A command failed unexpectedly', { channel, error }),
  );

  const sendHeartbeat = () => {
    events.emit('app:heartbeat', { sequence: heartbeatSequence++, sentAt: clock().toISOString() });
  };

  const resolvePlatformFile = async (): Promise<{ file: string; source: 'file' | 'demo' } | undefined> => {
    if (options.platformFile) return { file: options.platformFile, source: 'file' };
    if (!options.startDemo) return undefined;
    if (options.openDemoAtStart === false) {
      platformState = {
        platform: null,
        problems: ['No platform is open yet: open a platform file, make one from Coolify, or try the demo.'],
      };
      return undefined;
    }
    return startDemoPlatform();
  };

  const startDemoPlatform = async (): Promise<{ file: string; source: 'demo' } | undefined> => {
    if (!options.startDemo) throw new CockpitError('NOT_CONFIGURED', 'This cockpit has no embedded demo platform.');
    // What runs (if anything) keeps running until the demo is up.
    const running = platformState.platform;
    platformState = { platform: running, problems: ['Starting the embedded demo platform…'], isOpening: true };
    events.emit('platform:changed', platformState);
    try {
      return { file: await options.startDemo(), source: 'demo' };
    } catch (error) {
      const message = error instanceof CockpitError ? error.message : (error as Error).message;
      platformState = {
        platform: running,
        problems: [`The demo platform could not start: ${redactor.redact(message)}`],
      };
      logger.error('The demo platform could not start', { error });
      return undefined;
    }
  };

  const loadPlatform = async () => {
    const resolved = await resolvePlatformFile();
    if (resolved) await openPlatform(resolved);
  };

  /**
   * Opens a platform file. Valid: what ran before stops and this one runs, watched for saves.
   * Not valid: its problems are said (with each line's text), and the platform that ran — the
   * last good one — keeps running.
   */
  const openPlatform = async (resolved: { file: string; source: 'file' | 'demo' }): Promise<boolean> => {
    const result = await loadPlatformFile(resolved.file);
    if (!result.ok) {
      platformState = {
        platform: platformState.platform,
        problems: result.problems.map(formatProblem),
        problemDetails: await withLineText(result.problems),
        problemsFile: resolved.file,
      };
      logger.warn('The platform file is not valid', { file: resolved.file, problems: platformState.problems });
      return false;
    }
    unloadPlatform();
    await activatePlatform(result.platform, resolved);
    openedFile = resolved;
    await fileWatcher.watch(resolved.file);
    return true;
  };

  /** Stops what the open platform runs in the background (before another one opens). */
  const unloadPlatform = () => {
    matrix?.stop();
    void matrix?.persistNow().catch(() => undefined);
    comms?.stop();
    watches?.stop();
    teamSync?.stop();
    deploys?.stop();
    void prober?.close();
  };

  const activatePlatform = async (loaded: Platform, resolved: { file: string; source: 'file' | 'demo' }) => {
    // Services that name only a repo.url get a clone the cockpit manages in the data folder.
    platform = withManagedRepos(loaded, options.dataDir);
    platformState = { platform: summarizePlatform(platform, resolved.file, resolved.source), problems: [] };
    const managedRepos = new ManagedRepos({
      platform,
      dataDir: options.dataDir,
      clock,
      onOffline: (message) => logger.warn(message),
      isHostAllowed: options.isHostAllowed,
    });
    const loadedPlatform = platform;
    vault = await openVault({
      platform,
      dataDir: options.dataDir,
      redactor,
      openKeychain: options.openKeychain,
      hostPlatform: options.hostPlatform,
      clock,
    });
    if (!vault.status().isPersistent) logger.warn('No OS keychain: credentials are kept for this session only');
    const actor = rosterActor(platform, options.actor ?? (await resolveActor()), currentOsUser());
    settingsKey = (await readSettings(options.dataDir)).signingKey;
    const ledger = new Ledger({
      folder: path.join(options.dataDir, 'ledger', platform.id),
      platformId: platform.id,
      actor,
      clock,
      redact: (text) => redactor.redact(text),
      signer: createRecordSigner({ platform, actor, settingsKey: () => settingsKey }),
    });
    const trusted = async () => trustedRecords(await ledger.readAll(), loadedPlatform);
    audit = new AuditTrail(ledger, (records) => {
      events.emit('ledger:appended', { records });
      // Marks (rolled back, bad versions) live in the ledger: the matrix reads them again.
      void trusted()
        .then((all) => matrix?.applyLedger(all))
        .catch(() => undefined);
    });
    lastVerification = await ledger.verify();
    if (!lastVerification.isValid) logger.error('The ledger fails verification', { problem: lastVerification.problem });
    prober = new HealthProber({
      timeoutMs: options.matrix?.probeTimeoutMs ?? 3_000,
      isHostAllowed: options.isHostAllowed,
      redact: (text) => redactor.redact(text),
    });
    matrix = new MatrixMonitor({
      platform,
      prober,
      events,
      logger,
      cacheFolder: path.join(options.dataDir, 'cache'),
      idleIntervalMs: options.matrix?.idleIntervalMs,
      hotIntervalMs: options.matrix?.hotIntervalMs,
      repoIntervalMs: options.matrix?.repoIntervalMs,
      clock,
      managedRepos,
    });
    await matrix.load();
    matrix.applyLedger(await trusted().catch(() => []));
    matrix.start();
    const monitor = matrix;
    const openVaultRef = vault;
    const probe = prober;
    const identity = { name: actor.name, email: actor.email, osUser: currentOsUser() };
    signoffs = new SignoffBook({ platform, audit, identity, clock });
    holds = new HoldBook({ platform, audit, identity, trusted });
    deployLocks = teamLocksFor(platform, options.dataDir);
    // Who signs here changes only with the settings or git's config: asked again at most every 30 s.
    let identityCache: { at: number; key: string | undefined; report: Promise<IdentityReport> } | undefined;
    identityView = async () => {
      if (!identityCache || identityCache.key !== settingsKey || Date.now() - identityCache.at > 30_000)
        identityCache = {
          at: Date.now(),
          key: settingsKey,
          report: identityReport(loadedPlatform, actor, settingsKey),
        };
      const report = await identityCache.report;
      return {
        ...policyRef.identity(),
        ...(report.email ? { email: report.email } : {}),
        key: report.key,
        verified: report.verified,
        isSigningOn: report.isSigningOn,
        ...(report.problem ? { problem: report.problem } : {}),
      };
    };
    const policyRef = new PolicyService({
      platform,
      audit,
      identity,
      clock,
      signoffs,
      evaluateGates: (environment, versions) => {
        let listedCredentials: ReturnType<typeof openVaultRef.list> | undefined;
        return evaluateGates({
          platform: loadedPlatform,
          environment,
          versions,
          prober: probe,
          ciStatus: (service, tag) => requireReleases().ci(service, tag),
          // The vault is listed once per evaluation, and only if a service declares credentials.
          hasCredential: async (id) =>
            (await (listedCredentials ??= openVaultRef.list())).some(
              (credential) => credential.id === id && credential.isSet,
            ),
          isHostAllowed: options.isHostAllowed,
          now: clock(),
        });
      },
    });
    policy = policyRef;
    rollbacks = new RollbackService({
      managedRepos,
      platform,
      dataDir: options.dataDir,
      prober,
      audit,
      events,
      redactor,
      identity,
      clock,
      providers: createProviderFactory({
        readCredential: (id) => openVaultRef.read(id),
        isHostAllowed: options.isHostAllowed,
      }),
      ciStatus: platform.ci.provider === 'none' ? undefined : (service, tag) => requireReleases().ci(service, tag),
      lastKnown: (service, environment) =>
        monitor.snapshot().cells.find((cell) => cell.service === service && cell.environment === environment),
      isReachable: options.isReachable,
    });
    rotations = new RotationBook({ platform, audit, clock });
    watches?.stop();
    teamSync?.stop();
    teamSync = undefined;
    const mirror = platform.ledger.mirror;
    if (mirror) {
      teamSync = new TeamSync({
        ledger,
        mirror: { repo: mirror.repo, branch: mirror.branch, file: mirror.file ?? `${platform.id}.jsonl` },
        workFolder: path.join(options.dataDir, 'ledger', platform.id, 'mirror'),
        clock,
        readDeployLocks: async () => (await deployLocks?.list()) ?? [],
        onChanged: (state) => {
          events.emit('team:sync-changed', state);
          void trusted()
            .then((all) => matrix?.applyLedger(all))
            .catch(() => undefined);
        },
      });
      teamSync.start();
    }
    watches = new PostDeployWatch({
      platform,
      dataDir: options.dataDir,
      events,
      audit,
      clock,
      isHostAllowed: options.isHostAllowed,
      intervalMs: options.watchIntervalMs,
    });
    watches.start();
    comms?.stop();
    comms = new CommsService({
      platform,
      dataDir: options.dataDir,
      audit,
      events,
      redactor,
      readCredential: (id) => openVaultRef.read(id),
      isHostAllowed: options.isHostAllowed,
      clock,
      intervalMs: options.outboxIntervalMs,
    });
    comms.start();
    deploys?.stop();
    deploys = new DeployService({
      managedRepos,
      platform,
      dataDir: options.dataDir,
      prober,
      events,
      redactor,
      audit,
      matrix: monitor,
      readCredential: (id) => openVaultRef.read(id),
      isHostAllowed: options.isHostAllowed,
      ciStatus: (service, tag) => requireReleases().ci(service, tag),
      authorize: (environment, versions) => policyRef.authorizeDeploy(environment, versions),
      assess: (environment, versions) => policyRef.assess(environment, versions),
      clock,
      teamLocks: deployLocks,
    });
    const ciSettings = platform.ci;
    releases = new ReleaseService({
      managedRepos,
      platform,
      dataDir: options.dataDir,
      audit,
      clock,
      onReleased: () => void monitor.refreshRepositories(),
      ci:
        ciSettings.provider === 'github'
          ? gitHubProvider({
              apiUrl: ciSettings.apiUrl,
              packageOwnerType: ciSettings.packageOwnerType,
              token: async () =>
                ciSettings.tokenCredential ? openVaultRef.read(ciSettings.tokenCredential) : undefined,
              isHostAllowed: options.isHostAllowed,
            })
          : undefined,
    });
  };

  const announcePlatform = async () => {
    events.emit('platform:changed', platformState);
    if (vault) await announceCredentials();
    if (lastVerification) events.emit('ledger:verified', lastVerification);
  };

  return {
    events,
    logger,
    redactor,
    dispatch,
    async start() {
      await loadPlatform();
      await announcePlatform();
      if (heartbeatTimer || heartbeatIntervalMs <= 0) return;
      sendHeartbeat();
      heartbeatTimer = setInterval(sendHeartbeat, heartbeatIntervalMs);
      heartbeatTimer.unref?.();
    },
    stop() {
      fileWatcher.stop();
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
      matrix?.stop();
      comms?.stop();
      watches?.stop();
      teamSync?.stop();
      deploys?.stop();
      stopWatchingDeploys();
      stopReloadingLater();
      void matrix?.persistNow().catch(() => undefined);
      void prober?.close();
    },
  };
}
