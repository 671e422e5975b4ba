import { parsePlatform } from '../../src/main/core/platform/load';

export interface StagingService {
  id: string;
  url: string;
  /** The deploy provider, as YAML flow text. */
  deploy: string;
  dependsOn?: string[];
}

/** A platform with one staging environment and the given services; `extra` is appended YAML. */
export function stagingPlatform(id: string, services: StagingService[], extra = '') {
  const parsed = parsePlatform(
    `version: 1
id: ${id}
name: ${id}
environments:
  - { id: staging, name: Staging, protected: false, branch: develop }
services:
${services
  .map(
    (service) => `  - id: ${service.id}
    name: ${service.id}
    repo: { url: https://git.example.com/${service.id}.git }
    dependsOn: [${(service.dependsOn ?? []).join(', ')}]
    environments:
      staging: { url: "${service.url}", deploy: ${service.deploy} }`,
  )
  .join('\n')}
${extra}`,
    `${id}.yaml`,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.platform;
}
