/**
 * The gate evaluator the CLI commands share (`gates`, `deploy`, `rollback` for CI): CI through the platform's provider
 * with its token from the vault, the vault's credentials, health through the command's prober.
 */
import type { CiStatus } from '../../shared/contract';
import { gitHubProvider } from '../core/ci/ci-provider';
import type { Vault } from '../core/credentials/vault';
import type { HealthProber } from '../core/health/prober';
import type { Platform } from '../core/platform/schema';
import { evaluateGates } from '../core/policy/gate-evaluation';
import type { GateResult } from '../core/policy/gates';
import { ReleaseService } from '../core/release/release-service';
import { resolveActor } from '../core/ledger/actor';
import { AuditTrail } from '../core/ledger/audit-trail';
import { currentOsUser, PolicyService } from '../core/policy/policy-service';
import { SignoffBook } from '../core/policy/signoffs';
import { openLedgerForCli, type CliIo } from './cli-io';

/** The CI state of a service's tag through the platform's provider; undefined without CI. */
export function ciStatusForCli(
  platform: Platform,
  dataDir: string,
  vault: Vault,
): ((service: string, tag: string) => Promise<CiStatus>) | undefined {
  const ci = platform.ci;
  if (ci.provider !== 'github') return undefined;
  const releases = new ReleaseService({
    platform,
    dataDir,
    ci: gitHubProvider({
      apiUrl: ci.apiUrl,
      packageOwnerType: ci.packageOwnerType,
      token: async () => (ci.tokenCredential ? vault.read(ci.tokenCredential) : undefined),
    }),
  });
  return (service, tag) => releases.ci(service, tag);
}

export function gateEvaluatorForCli(
  platform: Platform,
  dataDir: string,
  prober: HealthProber,
  vault: Vault,
): (environment: string, versions: Record<string, string>) => Promise<GateResult[]> {
  const ciStatus = ciStatusForCli(platform, dataDir, vault);
  return async (environment, versions) => {
    const credentials = new Map((await vault.list()).map((credential) => [credential.id, credential.isSet]));
    return evaluateGates({
      platform,
      environment,
      versions,
      prober,
      ciStatus,
      // A session-only vault (no keychain) holds nothing from an earlier run: it cannot tell.
      hasCredential: vault.status().isPersistent ? async (id) => credentials.get(id) ?? false : undefined,
    });
  };
}

/**
 * The policy as the app builds it, for who runs the command: its ledger, identity, sign-offs and
 * gates (`deploy` and `gates` meet the same list).
 */
export async function policyForCli(platform: Platform, io: CliIo, prober: HealthProber, vault: Vault) {
  const actor = await resolveActor();
  const { dataDir, ledger } = await openLedgerForCli(platform, io, actor);
  const audit = new AuditTrail(ledger, () => undefined);
  const identity = { name: actor.name, email: actor.email, osUser: currentOsUser() };
  const clock = () => new Date();
  const policy = new PolicyService({
    platform,
    audit,
    identity,
    clock,
    signoffs: new SignoffBook({ platform, audit, identity, clock }),
    evaluateGates: gateEvaluatorForCli(platform, dataDir, prober, vault),
  });
  return { policy, audit, dataDir, clock, identity };
}
