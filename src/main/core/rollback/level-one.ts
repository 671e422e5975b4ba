/**
 * Level 1 — redeploy the previous stable version (target under 5 minutes): find it (the ledger,
 * or the version the user names), redeploy it through the deploy engine (journal, lock, logs),
 * then verify that health reports it. Windows and gates do not apply: this is the way back.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { runningVersions } from '../deploy/targets';
import { previousStableVersion } from './previous-stable';
import { redeploy, verifyVersion, type RedeployTarget } from './redeploy';
import type { RollbackStep } from './step-machine';

export const levelOneTargetMinutes = 5;

export interface LevelOneContext extends RedeployTarget {
  records: LedgerRecord[];
  /** The version to go back to; found in the ledger when not given. */
  target?: string;
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
      run: (context, log) =>
        redeploy(context, context.target!, `rollback v${context.running ?? '?'} → v${context.target}`, log),
    },
    {
      id: 'verify',
      title: 'Verify health and version',
      touches: 'Reads the service’s health endpoint; changes nothing.',
      needsNetwork: true,
      changesSomething: false,
      run: (context) => verifyVersion(context, context.target),
    },
  ];
}
