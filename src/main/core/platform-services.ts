/**
 * The services of an open platform, built in order: the vault, the signed ledger, the health
 * prober and matrix, sign-offs and holds, the policy with its gates, rollback, rotation, the team's
 * mirror, the post-deploy watch, the outbox, deploys and releases. Each domain's handlers reach
 * them through the cockpit's context.
 */
import path from 'node:path';
import { gitHubProvider } from './ci/ci-provider';
import type { CockpitContext } from './cockpit-context';
import { CommsService } from './comms/comms-service';
import { openVault } from './credentials/open-vault';
import { createProviderFactory } from './deploy/provider-factory';
import { DeployService } from './deploy/deploy-service';
import { ManagedRepos } from './git/managed-repos';
import { MatrixMonitor } from './health/matrix-monitor';
import { HealthProber } from './health/prober';
import { rosterActor, trustedRecords } from './identity/authority';
import { createIdentityView } from './identity/identity-handlers';
import { createRecordSigner } from './identity/record-signer';
import { resolveActor } from './ledger/actor';
import { AuditTrail } from './ledger/audit-trail';
import { Ledger } from './ledger/ledger';
import type { Platform } from './platform/schema';
import { evaluateGates } from './policy/gate-evaluation';
import { HoldBook } from './policy/holds';
import { currentOsUser, PolicyService } from './policy/policy-service';
import { PostDeployWatch } from './policy/post-deploy-watch';
import { RotationBook } from './policy/secret-rotation';
import { SignoffBook } from './policy/signoffs';
import { ReleaseService } from './release/release-service';
import { RollbackService } from './rollback/rollback-service';
import { readSettings } from './settings';
import { teamLocksFor } from './team/team-lock';
import { TeamSync } from './team/team-sync';

/** Builds the services of a valid platform into `context.services`, replacing the previous ones. */
export async function activatePlatformServices(context: CockpitContext, platform: Platform): Promise<void> {
  const { options, clock, events, logger, redactor, services } = context;
  services.platform = platform;
  const managedRepos = new ManagedRepos({
    platform,
    dataDir: options.dataDir,
    clock,
    onOffline: (message) => logger.warn(message),
    isHostAllowed: options.isHostAllowed,
  });
  const vault = await openVault({
    platform,
    dataDir: options.dataDir,
    redactor,
    openKeychain: options.openKeychain,
    hostPlatform: options.hostPlatform,
    clock,
  });
  services.vault = vault;
  if (!vault.status().isPersistent) logger.warn('No OS keychain: credentials are kept for this session only');
  const actor = rosterActor(platform, options.actor ?? (await resolveActor()), currentOsUser());
  services.settingsKey = (await readSettings(options.dataDir)).signingKey;
  const ledger = new Ledger({
    folder: path.join(options.dataDir, 'ledger', platform.id),
    platformId: platform.id,
    actor,
    clock,
    redact: (text) => redactor.redact(text),
    signer: createRecordSigner({ platform, actor, settingsKey: () => services.settingsKey }),
  });
  const trusted = async () => trustedRecords(await ledger.readAll(), platform);
  /** Marks (rolled back, bad versions) live in the ledger: the matrix reads them again. */
  const refreshMarks = () =>
    void trusted()
      .then((all) => services.matrix?.applyLedger(all))
      .catch(() => undefined);
  const audit = new AuditTrail(ledger, (records) => {
    events.emit('ledger:appended', { records });
    refreshMarks();
  });
  services.audit = audit;
  services.lastVerification = await ledger.verify();
  if (!services.lastVerification.isValid)
    logger.error('The ledger fails verification', { problem: services.lastVerification.problem });
  const prober = new HealthProber({
    timeoutMs: options.matrix?.probeTimeoutMs ?? 3_000,
    isHostAllowed: options.isHostAllowed,
    redact: (text) => redactor.redact(text),
  });
  services.prober = prober;
  const monitor = new MatrixMonitor({
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
  services.matrix = monitor;
  await monitor.load();
  monitor.applyLedger(await trusted().catch(() => []));
  monitor.start();
  const identity = { name: actor.name, email: actor.email, osUser: currentOsUser() };
  const signoffs = new SignoffBook({ platform, audit, identity, clock });
  services.signoffs = signoffs;
  services.holds = new HoldBook({ platform, audit, identity, trusted });
  const deployLocks = teamLocksFor(platform, options.dataDir);
  services.deployLocks = deployLocks;
  const ciStatus = (service: string, tag: string) => context.requireReleases().ci(service, tag);
  const policy = new PolicyService({
    platform,
    audit,
    identity,
    clock,
    signoffs,
    evaluateGates: (environment, versions) => {
      let listedCredentials: ReturnType<typeof vault.list> | undefined;
      return evaluateGates({
        platform,
        environment,
        versions,
        prober,
        ciStatus,
        // The vault is listed once per evaluation, and only if a service declares credentials.
        hasCredential: async (id) =>
          (await (listedCredentials ??= vault.list())).some((credential) => credential.id === id && credential.isSet),
        isHostAllowed: options.isHostAllowed,
        now: clock(),
      });
    },
  });
  services.policy = policy;
  services.identityView = createIdentityView(context, platform, actor, policy);
  services.rollbacks = new RollbackService({
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
      readCredential: (id) => vault.read(id),
      isHostAllowed: options.isHostAllowed,
    }),
    ciStatus: platform.ci.provider === 'none' ? undefined : ciStatus,
    lastKnown: (service, environment) =>
      monitor.snapshot().cells.find((cell) => cell.service === service && cell.environment === environment),
    isReachable: options.isReachable,
  });
  services.rotations = new RotationBook({ platform, audit, clock });
  services.watches?.stop();
  services.teamSync?.stop();
  services.teamSync = undefined;
  const mirror = platform.ledger.mirror;
  if (mirror) {
    services.teamSync = new TeamSync({
      ledger,
      mirror: { repo: mirror.repo, branch: mirror.branch, file: mirror.file ?? `${platform.id}.jsonl` },
      workFolder: path.join(options.dataDir, 'ledger', platform.id, 'mirror'),
      clock,
      readDeployLocks: async () => (await services.deployLocks?.list()) ?? [],
      onChanged: (state) => {
        events.emit('team:sync-changed', state);
        refreshMarks();
      },
    });
    services.teamSync.start();
  }
  services.watches = new PostDeployWatch({
    platform,
    dataDir: options.dataDir,
    events,
    audit,
    clock,
    isHostAllowed: options.isHostAllowed,
    intervalMs: options.watchIntervalMs,
  });
  services.watches.start();
  services.comms?.stop();
  services.comms = new CommsService({
    platform,
    dataDir: options.dataDir,
    audit,
    events,
    redactor,
    readCredential: (id) => vault.read(id),
    isHostAllowed: options.isHostAllowed,
    clock,
    intervalMs: options.outboxIntervalMs,
  });
  services.comms.start();
  services.deploys?.stop();
  services.deploys = new DeployService({
    managedRepos,
    platform,
    dataDir: options.dataDir,
    prober,
    events,
    redactor,
    audit,
    matrix: monitor,
    readCredential: (id) => vault.read(id),
    isHostAllowed: options.isHostAllowed,
    ciStatus,
    authorize: (environment, versions) => policy.authorizeDeploy(environment, versions),
    assess: (environment, versions) => policy.assess(environment, versions),
    clock,
    teamLocks: deployLocks,
    ...(options.startLogHost ? { startLogHost: options.startLogHost } : {}),
  });
  const ciSettings = platform.ci;
  services.releases = new ReleaseService({
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
            token: async () => (ciSettings.tokenCredential ? vault.read(ciSettings.tokenCredential) : undefined),
            isHostAllowed: options.isHostAllowed,
          })
        : undefined,
  });
}
