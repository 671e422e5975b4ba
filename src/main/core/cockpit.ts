/**
 * The core, composed: one object that implements every command of the contract and emits its
 * events. Transports (Electron IPC, the loopback bridge, the CLI) wrap it; none of them adds logic.
 *
 * This is the composition root: each domain registers its handlers from its own folder
 * (`deploy/deploy-handlers.ts`…), the services of an open platform are built in
 * `platform-services.ts`, and `platform/platform-session.ts` opens and reloads platforms.
 */
import type { EventPayload } from '../../shared/contract';
import type { Reply } from '../../shared/reply';
import { createCockpitContext, type CockpitOptions, type PlatformServices } from './cockpit-context';
import { createCommsHandlers } from './comms/comms-handlers';
import { createCredentialHandlers } from './credentials/credential-handlers';
import { createDeployHandlers } from './deploy/deploy-handlers';
import { createDispatcher, type CommandHandlers } from './dispatcher';
import { EventBus } from './event-bus';
import { createMatrixHandlers } from './health/matrix-handlers';
import { createIdentityHandlers } from './identity/identity-handlers';
import { createLedgerHandlers } from './ledger/ledger-handlers';
import { createLogger, type Logger } from './logger';
import { Redactor } from './logs/redactor';
import { createPlatformHandlers } from './platform/platform-handlers';
import { createPlatformSession } from './platform/platform-session';
import { activatePlatformServices } from './platform-services';
import { createPolicyHandlers } from './policy/policy-handlers';
import { createReleaseHandlers } from './release/release-handlers';
import { createRollbackHandlers } from './rollback/rollback-handlers';
import { createTeamHandlers } from './team/team-handlers';

export type { CockpitOptions, DesktopShell } from './cockpit-context';

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

/** Builds the core. */
export function createCockpit(options: CockpitOptions): Cockpit {
  const clock = options.clock ?? (() => new Date());
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? createLogger({ clock, redact: (text) => redactor.redact(text) });
  const events = new EventBus();
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let heartbeatSequence = 0;
  const services: PlatformServices = {};
  const context = createCockpitContext({ options, clock, events, logger, redactor, services });
  const session = createPlatformSession(context, (platform) => activatePlatformServices(context, platform));

  // A succeeded deploy to a protected environment starts the post-deploy watch (R21).
  const stopWatchingDeploys = events.subscribe((channel, payload) => {
    if (channel !== 'deploy:finished') return;
    const { runId, status } = payload as EventPayload<'deploy:finished'>;
    const { watches: watch, audit: trail, platform: loaded } = services;
    if (status !== 'succeeded' || !watch || !trail || !loaded) return;
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

  const handlers = {
    'app:info': () => ({
      name: options.name,
      version: options.version,
      platform: options.hostPlatform ?? process.platform,
      arch: options.hostArch ?? process.arch,
      runtime: options.runtime,
      dataDir: options.dataDir,
    }),
    ...createPlatformHandlers(context, session),
    ...createCredentialHandlers(context),
    ...createLedgerHandlers(context),
    ...createMatrixHandlers(context),
    ...createDeployHandlers(context),
    ...createPolicyHandlers(context),
    ...createIdentityHandlers(context),
    ...createTeamHandlers(context),
    ...createRollbackHandlers(context),
    ...createCommsHandlers(context),
    ...createReleaseHandlers(context),
  } satisfies CommandHandlers;

  const dispatch = createDispatcher(handlers, (channel, error) =>
    logger.error('A command failed unexpectedly', { channel, error }),
  );

  const sendHeartbeat = () => {
    events.emit('app:heartbeat', { sequence: heartbeatSequence++, sentAt: clock().toISOString() });
  };

  return {
    events,
    logger,
    redactor,
    dispatch,
    async start() {
      await session.load();
      await session.announce();
      if (heartbeatTimer || heartbeatIntervalMs <= 0) return;
      sendHeartbeat();
      heartbeatTimer = setInterval(sendHeartbeat, heartbeatIntervalMs);
      heartbeatTimer.unref?.();
    },
    stop() {
      session.stop();
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
      stopWatchingDeploys();
    },
  };
}
