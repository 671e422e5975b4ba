/**
 * The platform the cockpit works on: which file it came from, opening another (a file with
 * problems leaves the last good one running), the embedded demo, and a save of the open file
 * reloading it — or waiting for the deploy or rollback under way to end.
 */
import type { EventPayload, PlatformState } from '../../../shared/contract';
import type { CockpitContext } from '../cockpit-context';
import { announceCredentials } from '../credentials/credential-handlers';
import { CockpitError } from '../errors';
import { loadPlatformFile } from './load';
import { PlatformFileWatcher, withLineText } from './platform-files';
import { formatProblem } from './problems';
import type { Platform } from './schema';
import { summarizePlatform } from './summary';
import { withManagedRepos } from '../git/managed-repos';

/** Where a platform came from: a file, or the embedded demo's. */
export interface PlatformSource {
  file: string;
  source: 'file' | 'demo';
}

/** The open platform's life: its state, opening, reloading, announcing. */
export interface PlatformSession {
  state(): PlatformState;
  /** The file the open platform was read from. */
  openedFile(): PlatformSource | undefined;
  /** Opens the configured platform file, or the demo, at start. */
  load(): Promise<void>;
  /** Opens a platform file; false (and its problems in the state) when it is not valid. */
  open(resolved: PlatformSource): Promise<boolean>;
  /** Starts the embedded demo; undefined (and why in the state) when it cannot start. */
  startDemo(): Promise<{ file: string; source: 'demo' } | undefined>;
  /** Tells the renderer the platform, its credentials and the ledger's verification. */
  announce(): Promise<void>;
  /** Stops watching the file and what the open platform runs in the background. */
  stop(): void;
}

/**
 * `activate` builds the services of a valid platform (the cockpit's composition root); the
 * session stops the previous platform's background work first.
 */
export function createPlatformSession(
  context: CockpitContext,
  activate: (platform: Platform) => Promise<void>,
): PlatformSession {
  const { options, events, logger, redactor, services } = context;
  let platformState: PlatformState = { platform: null, problems: ['No platform file is configured.'] };
  /** The file the open platform was read from (watched: a save reloads it). */
  let openedFile: PlatformSource | undefined;
  let isReloadPending = false;
  /** A save of the open file reloads it, or waits for the deploy or rollback under way to end. */
  const reloadOnSave = async (file: string) => {
    if (!openedFile || openedFile.file !== file) return;
    if (context.isBusy()) {
      isReloadPending = true;
      platformState = { ...platformState, isReloadPending: true };
      events.emit('platform:changed', platformState);
      return;
    }
    isReloadPending = false;
    await open(openedFile);
    await announce();
  };
  const fileWatcher = new PlatformFileWatcher((file) => void reloadOnSave(file).catch(() => undefined));

  // A save of the platform file during a run is applied once nothing runs any more.
  const stopReloadingLater = events.subscribe((channel, payload) => {
    const isOver =
      channel === 'deploy:finished' ||
      (channel === 'rollback:progress' && (payload as EventPayload<'rollback:progress'>).status !== 'running');
    if (isOver && isReloadPending && openedFile)
      setImmediate(() => void reloadOnSave(openedFile!.file).catch(() => undefined));
  });

  const resolvePlatformFile = async (): Promise<PlatformSource | undefined> => {
    if (options.platformFile) return { file: options.platformFile, source: 'file' };
    if (!options.startDemo) return undefined;
    if (options.openDemoAtStart === false) {
      platformState = {
        platform: null,
        problems: ['No platform is open yet: open a platform file, make one from Coolify, or try the demo.'],
      };
      return undefined;
    }
    return startDemo();
  };

  const startDemo = async (): Promise<{ file: string; source: 'demo' } | undefined> => {
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

  /**
   * Opens a platform file. Valid: what ran before stops and this one runs, watched for saves.
   * Not valid: its problems are said (with each line's text), and the platform that ran — the
   * last good one — keeps running.
   */
  const open = async (resolved: PlatformSource): Promise<boolean> => {
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
    unload();
    // Services that name only a repo.url get a clone the cockpit manages in the data folder.
    const platform = withManagedRepos(result.platform, options.dataDir);
    platformState = { platform: summarizePlatform(platform, resolved.file, resolved.source), problems: [] };
    await activate(platform);
    openedFile = resolved;
    await fileWatcher.watch(resolved.file);
    return true;
  };

  /** Stops what the open platform runs in the background (before another one opens). */
  const unload = () => {
    services.matrix?.stop();
    void services.matrix?.persistNow().catch(() => undefined);
    services.comms?.stop();
    services.watches?.stop();
    services.teamSync?.stop();
    services.deploys?.stop();
    void services.prober?.close();
  };

  const announce = async () => {
    events.emit('platform:changed', platformState);
    if (services.vault) await announceCredentials(context);
    if (services.lastVerification) events.emit('ledger:verified', services.lastVerification);
  };

  return {
    state: () => platformState,
    openedFile: () => openedFile,
    load: async () => {
      const resolved = await resolvePlatformFile();
      if (resolved) await open(resolved);
    },
    open,
    startDemo,
    announce,
    stop: () => {
      fileWatcher.stop();
      stopReloadingLater();
      unload();
    },
  };
}
