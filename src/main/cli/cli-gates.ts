/**
 * The gate evaluator the CLI commands share (`gates`, `deploy`): CI through the platform's provider
 * with its token from the vault, the vault's credentials, health through the command's prober.
 */
import { gitHubProvider } from '../core/ci/ci-provider';
import type { Vault } from '../core/credentials/vault';
import type { HealthProber } from '../core/health/prober';
import type { Platform } from '../core/platform/schema';
import { evaluateGates } from '../core/policy/gate-evaluation';
import type { GateResult } from '../core/policy/gates';
import { ReleaseService } from '../core/release/release-service';

export function gateEvaluatorForCli(
  platform: Platform,
  dataDir: string,
  prober: HealthProber,
  vault: Vault,
): (environment: string, versions: Record<string, string>) => Promise<GateResult[]> {
  const ci = platform.ci;
  const releases =
    ci.provider === 'github'
      ? new ReleaseService({
          platform,
          dataDir,
          ci: gitHubProvider({
            apiUrl: ci.apiUrl,
            packageOwnerType: ci.packageOwnerType,
            token: async () => (ci.tokenCredential ? vault.read(ci.tokenCredential) : undefined),
          }),
        })
      : undefined;
  return async (environment, versions) => {
    const credentials = new Map((await vault.list()).map((credential) => [credential.id, credential.isSet]));
    return evaluateGates({
      platform,
      environment,
      versions,
      prober,
      ciStatus: releases ? (service, tag) => releases.ci(service, tag) : undefined,
      // A session-only vault (no keychain) holds nothing from an earlier run: it cannot tell.
      hasCredential: vault.status().isPersistent ? async (id) => credentials.get(id) ?? false : undefined,
    });
  };
}
