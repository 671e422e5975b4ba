/**
 * Where credential values are kept: the OS keychain through the keytar API, or — when no keychain
 * answers — a session-only store in memory. Nothing here ever writes a value to disk.
 */

/** The keytar API subset the vault uses. */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type KeychainOpening = { ok: true; backend: KeychainBackend } | { ok: false; reason: string };

export type KeytarLoader = () => Promise<KeychainBackend & { findCredentials(service: string): Promise<unknown[]> }>;

const loadKeytar: KeytarLoader = async () =>
  (await import('@napi-rs/keyring/keytar.js')) as Awaited<ReturnType<KeytarLoader>>;

/** How long the keychain may take to answer the first question before it counts as unavailable. */
const probeTimeoutMs = 5_000;

/** Opens the OS keychain and checks that it answers; says why not when it does not. */
export async function openOsKeychain(load: KeytarLoader = loadKeytar): Promise<KeychainOpening> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const keytar = await load();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the keychain did not answer within 5 seconds')), probeTimeoutMs);
    });
    await Promise.race([keytar.findCredentials('Release Cockpit/probe'), timeout]);
    return { ok: true, backend: keytar };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || String(error) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** A keychain that lives only as long as the process: the fallback, clearly labelled as such. */
export function createSessionKeychain(): KeychainBackend {
  const values = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    getPassword: async (service, account) => values.get(key(service, account)) ?? null,
    setPassword: async (service, account, password) => {
      values.set(key(service, account), password);
    },
    deletePassword: async (service, account) => values.delete(key(service, account)),
  };
}

/** What to tell the user when the OS keychain cannot be used, per OS. */
export function keychainFix(platform: NodeJS.Platform): string {
  if (platform === 'linux') {
    return 'Start a Secret Service (for example gnome-keyring: `gnome-keyring-daemon --start --components=secrets`, or log in to a desktop session), make sure D-Bus is running, then restart the cockpit.';
  }
  if (platform === 'darwin') return 'Unlock the login keychain in Keychain Access, then restart the cockpit.';
  return 'Make sure Windows Credential Manager is available for your account, then restart the cockpit.';
}
