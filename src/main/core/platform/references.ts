/**
 * The checks a schema cannot express: ids that must be unique, references that must exist,
 * dependencies without cycles, and environments kept apart (R22: staging never points at a
 * production URL, database, cache or credential).
 */
import type { Platform } from './schema';

/** A problem found by these checks: where (a data path) and what. */
export interface ReferenceProblem {
  path: PropertyKey[];
  message: string;
  /** Point at the key rather than the value. */
  atKey?: boolean;
}

/** Runs every cross-reference check on a schema-valid platform. */
export function checkReferences(platform: Platform): ReferenceProblem[] {
  // Every other check looks things up by id: with duplicates its findings would only add noise.
  const duplicates = checkUniqueIds(platform);
  if (duplicates.length > 0) return duplicates;
  return [
    ...checkServiceReferences(platform),
    ...checkCredentialReferences(platform),
    ...checkDependencyCycles(platform),
    ...checkIsolation(platform),
    ...checkShellScripts(platform),
  ];
}

const shells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'cmd', 'cmd.exe', 'powershell', 'pwsh']);
const placeholder = /\{(service|environment|version|backup)\}/;

/**
 * A command is an argument array so that no value is ever read as shell code; a `sh -c` script
 * holding a placeholder would undo that (a version `1.0.0; rm -rf ~` would run).
 */
function checkShellScripts(platform: Platform): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const check = (path: PropertyKey[], command: string[] | undefined) => {
    if (!command || !shells.has((command[0] ?? '').split(/[\\/]/).at(-1)!.toLowerCase())) return;
    const scriptAt = command.findIndex((argument, index) => index > 0 && /^(-\w*c|\/c|-command)$/i.test(argument));
    if (scriptAt < 0) return;
    command.slice(scriptAt + 1).forEach((argument, offset) => {
      if (!placeholder.test(argument) || offset > 0) return;
      problems.push({
        path: [...path, scriptAt + 1],
        message: `a ${command[0]} script must not hold ${placeholder.exec(argument)![0]}: it would be read as shell code. Pass it as its own argument after the script ("$1" inside it), or run the program directly`,
      });
    });
  };
  platform.services.forEach((service, serviceIndex) => {
    for (const [environmentId, config] of Object.entries(service.environments)) {
      if (config.deploy.provider !== 'command') continue;
      const base = ['services', serviceIndex, 'environments', environmentId, 'deploy'];
      check([...base, 'command'], config.deploy.command);
      check([...base, 'stopCommand'], config.deploy.stopCommand);
      check([...base, 'startCommand'], config.deploy.startCommand);
    }
  });
  check(['rollback', 'restoreCommand'], platform.rollback.restoreCommand);
  platform.rollback.integrityChecks.forEach((integrity, index) =>
    check(['rollback', 'integrityChecks', index, 'command'], integrity.command),
  );
  return problems;
}

function checkUniqueIds(platform: Platform): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const lists = [
    ['environments', platform.environments],
    ['services', platform.services],
    ['credentials', platform.credentials],
    ['secrets', platform.secrets],
  ] as const;
  for (const [listName, items] of lists) {
    const firstIndex = new Map<string, number>();
    items.forEach((item, index) => {
      const previous = firstIndex.get(item.id);
      if (previous === undefined) firstIndex.set(item.id, index);
      else
        problems.push({
          path: [listName, index, 'id'],
          message: `duplicate id "${item.id}": ${listName}[${previous}] already uses it; ids must be unique`,
        });
    });
  }
  return problems;
}

function checkServiceReferences(platform: Platform): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const environmentIds = new Set(platform.environments.map((environment) => environment.id));
  const serviceIds = new Set(platform.services.map((service) => service.id));
  const known = (ids: Set<string>) => [...ids].map((id) => `"${id}"`).join(', ');
  platform.services.forEach((service, serviceIndex) => {
    service.dependsOn.forEach((dependency, dependencyIndex) => {
      if (dependency === service.id) {
        problems.push({
          path: ['services', serviceIndex, 'dependsOn', dependencyIndex],
          message: `service "${service.id}" cannot depend on itself`,
        });
      } else if (!serviceIds.has(dependency)) {
        problems.push({
          path: ['services', serviceIndex, 'dependsOn', dependencyIndex],
          message: `unknown service "${dependency}" in dependsOn; expected one of ${known(serviceIds)}`,
        });
      }
    });
    for (const environmentId of Object.keys(service.environments)) {
      if (!environmentIds.has(environmentId)) {
        problems.push({
          path: ['services', serviceIndex, 'environments', environmentId],
          atKey: true,
          message: `unknown environment "${environmentId}"; expected one of ${known(environmentIds)}`,
        });
      }
    }
  });
  for (const environmentId of Object.keys(platform.policy.windows)) {
    if (!environmentIds.has(environmentId)) {
      problems.push({
        path: ['policy', 'windows', environmentId],
        atKey: true,
        message: `unknown environment "${environmentId}"; expected one of ${known(environmentIds)}`,
      });
    }
  }
  return problems;
}

function checkCredentialReferences(platform: Platform): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const declared = new Set(platform.credentials.map((credential) => credential.id));
  const environmentIds = new Set(platform.environments.map((environment) => environment.id));
  const requireDeclared = (path: PropertyKey[], id: string | undefined) => {
    if (id !== undefined && !declared.has(id)) {
      problems.push({
        path,
        message: `unknown credential "${id}"; declare it under "credentials" with its kind (never its value)`,
      });
    }
  };
  platform.services.forEach((service, serviceIndex) => {
    for (const [environmentId, config] of Object.entries(service.environments)) {
      const base = ['services', serviceIndex, 'environments', environmentId];
      if (config.deploy.provider !== 'command') {
        requireDeclared([...base, 'deploy', 'tokenCredential'], config.deploy.tokenCredential);
      }
      config.credentials.forEach((id, index) => requireDeclared([...base, 'credentials', index], id));
    }
  });
  if (platform.ci.provider === 'github') requireDeclared(['ci', 'tokenCredential'], platform.ci.tokenCredential);
  platform.comms.slack.forEach((channel, index) =>
    requireDeclared(['comms', 'slack', index, 'webhookCredential'], channel.webhookCredential),
  );
  platform.credentials.forEach((credential, index) => {
    if (credential.environment !== undefined && !environmentIds.has(credential.environment)) {
      problems.push({
        path: ['credentials', index, 'environment'],
        message: `unknown environment "${credential.environment}"`,
      });
    }
  });
  return problems;
}

function checkDependencyCycles(platform: Platform): ReferenceProblem[] {
  const services = new Map(platform.services.map((service, index) => [service.id, { service, index }]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const problems: ReferenceProblem[] = [];
  const reported = new Set<string>();

  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dependency of services.get(id)?.service.dependsOn ?? []) {
      if (!services.has(dependency) || dependency === id) continue;
      if (state.get(dependency) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dependency)), dependency];
        const key = [...cycle.slice(0, -1)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const entry = services.get(id)!;
          problems.push({
            path: ['services', entry.index, 'dependsOn', entry.service.dependsOn.indexOf(dependency)],
            message: `dependency cycle: ${cycle.join(' → ')}; a deploy order needs dependencies without cycles`,
          });
        }
      } else if (!state.has(dependency)) {
        visit(dependency);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const service of platform.services) if (!state.has(service.id)) visit(service.id);
  return problems;
}

function checkIsolation(platform: Platform): ReferenceProblem[] {
  const protectedIds = new Set(platform.environments.filter((env) => env.protected).map((env) => env.id));
  const protectedNames = (id: string) => platform.environments.find((env) => env.id === id)?.name ?? id;
  const production = collectProtectedResources(platform, protectedIds);
  const credentialEnvironment = new Map(
    platform.credentials.map((credential) => [credential.id, credential.environment]),
  );
  const problems: ReferenceProblem[] = [];

  platform.environments.forEach((environment, index) => {
    if (environment.protected || !environment.baseUrl) return;
    const owner = production.hosts.get(hostOf(environment.baseUrl) ?? '');
    if (owner) {
      problems.push({
        path: ['environments', index, 'baseUrl'],
        message: `${environment.id} must not point at a production URL: ${hostOf(environment.baseUrl)} is ${owner}`,
      });
    }
  });

  platform.services.forEach((service, serviceIndex) => {
    for (const [environmentId, config] of Object.entries(service.environments)) {
      if (protectedIds.has(environmentId)) continue;
      const base = ['services', serviceIndex, 'environments', environmentId];
      const urlOwner = production.hosts.get(hostOf(config.url) ?? '');
      if (urlOwner) {
        problems.push({
          path: [...base, 'url'],
          message: `${environmentId} must not point at a production URL: ${hostOf(config.url)} is ${urlOwner}`,
        });
      }
      for (const field of ['database', 'cache'] as const) {
        const value = config[field];
        const owner = value ? production[field].get(normalizeConnection(value)) : undefined;
        if (owner) {
          problems.push({
            path: [...base, field],
            message: `${environmentId} must not use a production ${field}: ${normalizeConnection(value!)} is ${owner}`,
          });
        }
      }
      config.credentials.forEach((credentialId, index) => {
        const owner = production.credentials.get(credentialId);
        const scope = credentialEnvironment.get(credentialId);
        if (owner || (scope && protectedIds.has(scope))) {
          problems.push({
            path: [...base, 'credentials', index],
            message: `${environmentId} must not use the production credential "${credentialId}" (${
              owner ?? `declared for ${protectedNames(scope!)}`
            }); give ${environmentId} its own`,
          });
        }
      });
      if (config.deploy.provider !== 'command' && config.deploy.tokenCredential) {
        const scope = credentialEnvironment.get(config.deploy.tokenCredential);
        if (scope && protectedIds.has(scope)) {
          problems.push({
            path: [...base, 'deploy', 'tokenCredential'],
            message: `${environmentId} must not deploy with "${config.deploy.tokenCredential}", a credential declared for ${protectedNames(scope)}`,
          });
        }
      }
    }
  });
  return problems;
}

function collectProtectedResources(platform: Platform, protectedIds: Set<string>) {
  const hosts = new Map<string, string>();
  const database = new Map<string, string>();
  const cache = new Map<string, string>();
  const credentials = new Map<string, string>();
  for (const environment of platform.environments) {
    const host = environment.protected && environment.baseUrl ? hostOf(environment.baseUrl) : undefined;
    if (host) hosts.set(host, `the ${environment.id} base URL`);
  }
  for (const service of platform.services) {
    for (const [environmentId, config] of Object.entries(service.environments)) {
      if (!protectedIds.has(environmentId)) continue;
      const owner = `${service.id} in ${environmentId}`;
      const host = hostOf(config.url);
      if (host) hosts.set(host, owner);
      if (config.database) database.set(normalizeConnection(config.database), owner);
      if (config.cache) cache.set(normalizeConnection(config.cache), owner);
      for (const credentialId of config.credentials) credentials.set(credentialId, `used by ${owner}`);
    }
  }
  return { hosts, database, cache, credentials };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A connection string without credentials or options, for comparing where it points. */
export function normalizeConnection(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return value
      .replace(/\/\/[^@/]*@/, '//')
      .trim()
      .toLowerCase();
  }
}
