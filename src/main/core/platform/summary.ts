/**
 * The platform as the renderer sees it: ids, names and relations, no configuration details.
 */
import type { PlatformSummary } from '../../../shared/contract';
import type { Platform } from './schema';

export function summarizePlatform(
  platform: Platform,
  file: string,
  source: PlatformSummary['source'],
): PlatformSummary {
  return {
    id: platform.id,
    name: platform.name,
    file,
    source,
    timeZone: platform.policy.timeZone,
    environments: platform.environments.map((environment) => ({
      id: environment.id,
      name: environment.name,
      isProtected: environment.protected,
    })),
    services: platform.services.map((service) => ({
      id: service.id,
      name: service.name,
      dependsOn: service.dependsOn,
    })),
    slackChannels: platform.comms.slack.map((channel) => ({
      id: channel.id,
      ...(channel.purpose ? { purpose: channel.purpose } : {}),
    })),
  };
}
