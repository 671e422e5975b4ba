/**
 * Opens the vault of a platform on the OS keychain, or on the session-only fallback when no
 * keychain answers — saying so plainly, with the fix.
 */
import type { Redactor } from '../logs/redactor';
import type { Platform } from '../platform/schema';
import { createSessionKeychain, keychainFix, openOsKeychain, type KeychainOpening } from './keychain';
import { Vault } from './vault';

export interface OpenVaultOptions {
  platform: Platform;
  dataDir: string;
  redactor: Redactor;
  openKeychain?: () => Promise<KeychainOpening>;
  hostPlatform?: NodeJS.Platform;
  clock?: () => Date;
}

/** The vault, on whichever store is available. */
export async function openVault(options: OpenVaultOptions): Promise<Vault> {
  const opening = await (options.openKeychain ?? openOsKeychain)();
  const vault = new Vault({
    platform: options.platform,
    dataDir: options.dataDir,
    redactor: options.redactor,
    clock: options.clock,
    ...(opening.ok
      ? {
          backend: opening.backend,
          status: { backend: 'os-keychain', isPersistent: true, message: 'Credentials are kept in the OS keychain.' },
        }
      : {
          backend: createSessionKeychain(),
          status: {
            backend: 'session-memory',
            isPersistent: false,
            message: `No OS keychain is reachable (${options.redactor.redact(opening.reason)}). Credentials you enter are kept in memory for this session only and are forgotten when the cockpit closes; nothing is written to disk.`,
            fix: keychainFix(options.hostPlatform ?? process.platform),
          },
        }),
  });
  await vault.open();
  return vault;
}
