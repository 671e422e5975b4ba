/**
 * The core, composed: one object that implements every command of the contract and emits its
 * events. Transports (Electron IPC, the loopback bridge, the CLI) wrap it; none of them adds logic.
 */
import type { AppInfo } from '../../shared/contract';
import type { Reply } from '../../shared/reply';
import { createDispatcher, type CommandHandlers } from './dispatcher';
import { EventBus } from './event-bus';
import { createLogger, type Logger } from './logger';

export interface CockpitOptions {
  name: string;
  version: string;
  runtime: AppInfo['runtime'];
  dataDir: string;
  /** How often `app:heartbeat` is sent; 0 turns it off. */
  heartbeatIntervalMs?: number;
  clock?: () => Date;
  logger?: Logger;
  hostPlatform?: string;
  hostArch?: string;
}

export const defaultHeartbeatIntervalMs = 5_000;

export interface Cockpit {
  readonly events: EventBus;
  readonly logger: Logger;
  /** Runs a command from any transport; always resolves with a Reply. */
  dispatch(channel: unknown, payload: unknown): Promise<Reply<unknown>>;
  /** Starts background work (heartbeat). */
  start(): void;
  /** Stops background work; safe to call twice. */
  stop(): void;
}

/** Builds the core. */
export function createCockpit(options: CockpitOptions): Cockpit {
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? createLogger({ clock });
  const events = new EventBus();
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? defaultHeartbeatIntervalMs;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let heartbeatSequence = 0;

  const handlers: CommandHandlers = {
    'app:info': () => ({
      name: options.name,
      version: options.version,
      platform: options.hostPlatform ?? process.platform,
      arch: options.hostArch ?? process.arch,
      runtime: options.runtime,
      dataDir: options.dataDir,
    }),
  };

  const dispatch = createDispatcher(handlers, (channel, error) =>
    logger.error('A command failed unexpectedly', { channel, error }),
  );

  const sendHeartbeat = () => {
    events.emit('app:heartbeat', { sequence: heartbeatSequence++, sentAt: clock().toISOString() });
  };

  return {
    events,
    logger,
    dispatch,
    start() {
      if (heartbeatTimer || heartbeatIntervalMs <= 0) return;
      sendHeartbeat();
      heartbeatTimer = setInterval(sendHeartbeat, heartbeatIntervalMs);
      heartbeatTimer.unref?.();
    },
    stop() {
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
    },
  };
}
