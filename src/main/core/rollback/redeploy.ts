/**
 * What levels 1 and 2 share: redeploying one service at a version through the deploy engine
 * (journal, environment lock, logs, ledger), and verifying that its health reports that version.
 */
import path from 'node:path';
import { DeployJournal } from '../deploy/journal';
import { runDeploy } from '../deploy/orchestrator';
import type { ProviderFactory } from '../deploy/provider';
import { currentHealth } from '../health/current-health';
import type { HealthProber } from '../health/prober';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import type { StepOutcome } from './step-machine';

export interface RedeployTarget {
  platform: Platform;
  service: string;
  environment: string;
  prober: HealthProber;
  /** Where journals and locks live (`<data>`). */
  dataDir: string;
  providers?: ProviderFactory;
  audit?: AuditTrail;
  runId: string;
  running?: string;
}

export async function redeploy(
  target: RedeployTarget,
  version: string,
  reason: string,
  log: (text: string) => void,
  rollbackImage?: string,
): Promise<StepOutcome> {
  const result = await runDeploy({
    platform: target.platform,
    plan: {
      environment: target.environment,
      waves: [
        [
          {
            service: target.service,
            version,
            runningVersion: target.running,
            action: 'deploy',
            reason,
            dependsOn: [],
            ...(rollbackImage ? { rollbackImage } : {}),
          },
        ],
      ],
    },
    runId: target.runId,
    journal: new DeployJournal(
      path.join(DeployJournal.folder(target.dataDir, target.platform.id), `${target.runId}.jsonl`),
    ),
    lockFolder: path.join(target.dataDir, 'locks'),
    prober: target.prober,
    audit: target.audit,
    providers: target.providers,
    log: (_service, text) => log(text),
  });
  return { ok: result.status === 'succeeded', detail: result.steps[0]?.detail ?? result.status };
}

export async function verifyVersion(target: RedeployTarget, version: string | undefined): Promise<StepOutcome> {
  const { service } = target;
  const result = (await currentHealth(target.platform, target.environment, target.prober, [service])).get(service);
  return result?.status === 'up' && result.version === version
    ? { ok: true, detail: `${service} reports v${version} and is healthy` }
    : {
        ok: false,
        detail: `${service} is ${result?.status ?? 'not probed'} on v${result?.version ?? '?'}, not healthy on v${version}`,
      };
}
