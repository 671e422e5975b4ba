/**
 * Level 1 — redeploy the previous stable version (target under 5 minutes): find it (the ledger,
 * or the version the user names), redeploy it through the deploy engine (journal, lock, logs),
 * then verify that health reports it. Windows and gates do not apply: this is the way back.
 */
import path from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger-record';
import { DeployJournal } from '../deploy/journal';
import { runDeploy } from '../deploy/orchestrator';
import type { ProviderFactory } from '../deploy/provider';
import { currentHealth, runningVersions } from '../deploy/targets';
import type { AuditTrail } from '../ledger/audit-trail';
import type { HealthProber } from '../health/prober';
import type { Platform } from '../platform/schema';
import { previousStableVersion } from './previous-stable';
import type { RollbackStep } from './step-machine';

export const levelOneTargetMinutes = 5;

export interface LevelOneContext {
  platform: Platform;
  service: string;
  environment: string;
  prober: HealthProber;
  records: LedgerRecord[];
  /** Where journals and locks live (`<data>`). */
  dataDir: string;
  providers?: ProviderFactory;
  audit?: AuditTrail;
  /** The version to go back to; found in the ledger when not given. */
  target?: string;
  running?: string;
  runId: string;
}

export function levelOneSteps(): RollbackStep<LevelOneContext>[] {
  return [
    {
      id: 'choose',
      title: 'Choose the previous stable version',
      touches: 'Reads the ledger and the service’s health; changes nothing.',
      needsNetwork: true,
      changesSomething: false,
      async run(context) {
        const running = await runningVersions(context.platform, context.environment, context.prober, [context.service]);
        context.running = running[context.service];
        context.target ??= previousStableVersion(
          context.records,
          context.service,
          context.environment,
          context.running,
        );
        if (!context.target)
          return {
            ok: false,
            detail: `No earlier successful deploy of ${context.service} to ${context.environment} is in the ledger: name the version to go back to.`,
          };
        if (context.target === context.running)
          return { ok: false, detail: `${context.service} already runs v${context.target}: nothing to roll back to.` };
        return {
          ok: true,
          detail: `${context.service}: v${context.running ?? '?'} → v${context.target} (previous stable)`,
        };
      },
    },
    {
      id: 'redeploy',
      title: 'Redeploy the previous stable version',
      touches: 'Stops the running version and starts the previous one through the deploy provider.',
      needsNetwork: true,
      changesSomething: true,
      async run(context, log) {
        const result = await runDeploy({
          platform: context.platform,
          plan: {
            environment: context.environment,
            waves: [
              [
                {
                  service: context.service,
                  version: context.target!,
                  runningVersion: context.running,
                  action: 'deploy',
                  reason: `rollback v${context.running ?? '?'} → v${context.target}`,
                },
              ],
            ],
          },
          runId: context.runId,
          journal: new DeployJournal(
            path.join(DeployJournal.folder(context.dataDir, context.platform.id), `${context.runId}.jsonl`),
          ),
          lockFolder: path.join(context.dataDir, 'locks'),
          prober: context.prober,
          audit: context.audit,
          providers: context.providers,
          log: (_service, text) => log(text),
        });
        const step = result.steps[0];
        return { ok: result.status === 'succeeded', detail: step?.detail ?? result.status };
      },
    },
    {
      id: 'verify',
      title: 'Verify health and version',
      touches: 'Reads the service’s health endpoint; changes nothing.',
      needsNetwork: true,
      changesSomething: false,
      async run(context) {
        const health = await currentHealth(context.platform, context.environment, context.prober, [context.service]);
        const result = health.get(context.service);
        return result?.status === 'up' && result.version === context.target
          ? { ok: true, detail: `${context.service} reports v${context.target} and is healthy` }
          : {
              ok: false,
              detail: `${context.service} is ${result?.status ?? 'not probed'} on v${result?.version ?? '?'}, not healthy on v${context.target}`,
            };
      },
    },
  ];
}
