/**
 * Level 1 — redeploy the previous stable version (target under 5 minutes): find it (the ledger,
 * or the version the user names) and, when the provider keeps previous images (Coolify's rollback
 * images), the image of it; redeploy it through the deploy engine (journal, lock, logs), then
 * verify that health reports it. Windows and gates do not apply: this is the way back.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { fillPlaceholders } from '../deploy/command-provider';
import type { RollbackImage } from '../deploy/provider';
import { createProviderFactory } from '../deploy/provider-factory';
import { runningVersions } from '../deploy/targets';
import { previousStableVersion } from './previous-stable';
import { redeploy, verifyVersion, type RedeployTarget } from './redeploy';
import type { RollbackStep } from './step-machine';

export const levelOneTargetMinutes = 5;

export interface LevelOneContext extends RedeployTarget {
  records: LedgerRecord[];
  /** The version the service last reported (the matrix's cache), used when it does not answer now. */
  lastKnownVersion?: string;
  /** The version to go back to; found in the ledger when not given. */
  target?: string;
  /** The provider's kept image of the target (Coolify), redeployed as it is. */
  rollbackImage?: string;
}

/**
 * The image of the target version the provider still keeps, if it keeps images: redeploying it
 * skips a rebuild. Without one (or if the provider cannot be asked), the version is redeployed.
 */
async function keptImage(context: LevelOneContext, log: (text: string) => void): Promise<RollbackImage | undefined> {
  const config = context.platform.services.find((candidate) => candidate.id === context.service)!.environments[
    context.environment
  ]!;
  const provider = (context.providers ?? createProviderFactory())(config.deploy);
  if (!provider.rollbackImages) return undefined;
  const version = context.target!;
  const pinned = config.deploy.provider === 'coolify' ? config.deploy.pin : undefined;
  const tags = new Set([
    version,
    `v${version}`,
    ...(pinned ? [fillPlaceholders(pinned.value, { ...context, version })] : []),
  ]);
  try {
    const images = await provider.rollbackImages({ service: context.service, environment: context.environment });
    const image = images.find((candidate) => tags.has(candidate.tag) && !candidate.isCurrent);
    if (!image) log(`The provider keeps no image of v${version}: it is deployed again instead.\n`);
    return image;
  } catch (error) {
    log(
      `The provider's rollback images could not be listed (${(error as Error).message}): v${version} is deployed again instead.\n`,
    );
    return undefined;
  }
}

export function levelOneSteps(): RollbackStep<LevelOneContext>[] {
  return [
    {
      id: 'choose',
      title: 'Choose the previous stable version',
      touches:
        'Reads the local ledger, and the version the service runs (its health, or the last one it reported when it does not answer); changes nothing.',
      // Works offline: the ledger is on this laptop, and the matrix remembers the last version seen.
      needsNetwork: false,
      changesSomething: false,
      async run(context) {
        const running = await runningVersions(context.platform, context.environment, context.prober, [context.service]);
        context.running = running[context.service] ?? context.lastKnownVersion;
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
      touches:
        'Stops the running version and starts the previous one through the deploy provider (an image the provider keeps of it, when there is one).',
      needsNetwork: true,
      changesSomething: true,
      async run(context, log) {
        const kept = await keptImage(context, log);
        context.rollbackImage = kept?.tag;
        if (kept)
          log(
            `The provider keeps the image ${kept.tag}${kept.createdAt ? ` from ${kept.createdAt}` : ''}: it is redeployed as it is.\n`,
          );
        return redeploy(
          context,
          context.target!,
          `rollback v${context.running ?? '?'} → v${context.target}`,
          log,
          context.rollbackImage,
        );
      },
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
