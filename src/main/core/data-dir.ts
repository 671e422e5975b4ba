/**
 * The one folder that holds every piece of state the cockpit keeps.
 *
 * The app uses Electron's `userData`; the CLI and the loopback bridge use the same folder computed
 * the same way, so all three share settings, caches, journals and the ledger. `COCKPIT_DATA_DIR`
 * overrides it everywhere (tests isolate each run with it).
 */
import path from 'node:path';

/** The folder name Electron derives from `productName`. */
export const productFolderName = 'Release Cockpit';

export interface DataDirSources {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homeDir: string;
  /** Electron's `app.getPath('userData')`, when running inside Electron. */
  electronUserData?: string;
}

/** Resolves the data folder: the override, else Electron's userData, else the per-user default. */
export function resolveDataDir(sources: DataDirSources): string {
  const override = sources.env.COCKPIT_DATA_DIR?.trim();
  if (override) return path.resolve(override);
  if (sources.electronUserData) return sources.electronUserData;
  return path.join(userConfigRoot(sources), productFolderName);
}

function userConfigRoot({ env, platform, homeDir }: DataDirSources): string {
  if (platform === 'win32') return env.APPDATA ?? path.join(homeDir, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME?.trim() || path.join(homeDir, '.config');
}

/**
 * Everything the cockpit and the processes it starts write is for this user only: files 0600,
 * folders 0700 (the data folder holds journals, the ledger, logs and reports). Called first by
 * each entry point; a file's mode is set when it is created, so nothing existing is touched.
 */
export function keepWritesPrivate(): void {
  try {
    process.umask(0o077);
  } catch {
    // Worker threads may not change the umask; their files are created with explicit modes.
  }
}
