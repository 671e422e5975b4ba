/**
 * Builds the deploy provider client for a service's settings, with the vault for tokens and the
 * cockpit's host allowlist.
 */
import { commandProvider } from './command-provider';
import { coolifyProvider } from './coolify-provider';
import type { ProviderFactory } from './provider';
import { webhookProvider } from './webhook-provider';

export interface ProviderFactoryOptions {
  /** Reads a declared credential (a token) from the vault. */
  readCredential?: (id: string) => Promise<string | undefined>;
  isHostAllowed?: (hostname: string) => boolean;
  /** Coolify status polling interval, for tests. */
  pollIntervalMs?: number;
  /** How long one provider request may take. */
  requestTimeoutMs?: number;
}

export function createProviderFactory(options: ProviderFactoryOptions = {}): ProviderFactory {
  const tokenOf = (id: string | undefined) => async () =>
    id && options.readCredential ? options.readCredential(id) : undefined;
  return (config) => {
    switch (config.provider) {
      case 'command':
        return commandProvider(config);
      case 'coolify':
        return coolifyProvider({
          config,
          token: tokenOf(config.tokenCredential),
          isHostAllowed: options.isHostAllowed,
          pollIntervalMs: options.pollIntervalMs,
          requestTimeoutMs: options.requestTimeoutMs,
        });
      case 'webhook':
        return webhookProvider({
          config,
          token: tokenOf(config.tokenCredential),
          isHostAllowed: options.isHostAllowed,
          timeoutMs: options.requestTimeoutMs,
        });
    }
  };
}
