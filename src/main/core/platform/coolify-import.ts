/**
 * A platform file proposed from what a Coolify server already knows: its projects, their
 * environments and applications (`GET /projects`, `GET /projects/{uuid}/environments`,
 * `GET /applications`). One service per application name across environments (environment
 * prefixes and suffixes such as `staging-` stripped), each environment's URL from the application's
 * first domain and health path, the repository and image from its git and registry fields, and a
 * `coolify` deploy provider with its uuid. What Coolify cannot say (dependencies, databases,
 * windows) is flagged in comments; the text always passes the platform schema.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { Document, isMap, isScalar, type Node } from 'yaml';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic-file';
import { CockpitError } from '../errors';
import { platformJsonSchema } from './json-schema';
import { parsePlatform } from './load';

const Project = z.looseObject({ uuid: z.string().min(1), name: z.string().nullish() });
const Environment = z.looseObject({ id: z.number().int(), name: z.string().min(1) });
const Application = z.looseObject({
  uuid: z.string().min(1),
  name: z.string().nullish(),
  fqdn: z.string().nullish(),
  health_check_path: z.string().nullish(),
  git_full_url: z.string().nullish(),
  git_repository: z.string().nullish(),
  docker_registry_image_name: z.string().nullish(),
  environment_id: z.number().int().nullish(),
});
type Application = z.infer<typeof Application>;

export interface CoolifyProjectChoice {
  uuid: string;
  name: string;
}

export interface CoolifyInventory {
  apiUrl: string;
  project: CoolifyProjectChoice;
  environments: z.infer<typeof Environment>[];
  applications: Application[];
}

export interface CoolifyReadOptions {
  apiUrl: string;
  token: string;
  /** A project's name or uuid; needed when the team has several. */
  project?: string;
  timeoutMs?: number;
}

/** Reads what the import needs; every bad answer is an IMPORT_FAILED error saying what to fix. */
export async function readCoolifyInventory(options: CoolifyReadOptions): Promise<CoolifyInventory> {
  const base = options.apiUrl.replace(/\/+$/, '');
  const get = <T>(pathname: string, schema: z.ZodType<T>) =>
    coolifyGet(base, pathname, options.token, schema, options.timeoutMs ?? 20_000);
  const projects = await get('/projects', z.array(Project));
  if (projects.length === 0)
    throw new CockpitError(
      'IMPORT_FAILED',
      `Coolify at ${base} lists no project for this token: check that the token belongs to the team that runs the applications.`,
    );
  const choices = projects.map((project) => ({ uuid: project.uuid, name: project.name ?? project.uuid }));
  const wanted = options.project;
  const chosen = wanted
    ? choices.find((project) => project.uuid === wanted || project.name === wanted)
    : choices.length === 1
      ? choices[0]
      : undefined;
  if (!chosen)
    throw new CockpitError(
      'BAD_INPUT',
      wanted
        ? `Coolify has no project "${wanted}"; its projects: ${describeProjects(choices)}.`
        : `Coolify has ${choices.length} projects: choose one with --project <name or uuid> (${describeProjects(choices)}).`,
      { projects: choices },
    );
  const environments = await get(`/projects/${encodeURIComponent(chosen.uuid)}/environments`, z.array(Environment));
  const ids = new Set(environments.map((environment) => environment.id));
  const applications = (await get('/applications', z.array(Application))).filter(
    (application) => application.environment_id != null && ids.has(application.environment_id),
  );
  if (applications.length === 0)
    throw new CockpitError(
      'IMPORT_FAILED',
      `The Coolify project "${chosen.name}" has no application in its environments (${environments.map((environment) => environment.name).join(', ') || 'none'}): nothing to import.`,
    );
  return { apiUrl: base, project: chosen, environments, applications };
}

function describeProjects(projects: CoolifyProjectChoice[]): string {
  return projects.map((project) => `"${project.name}" (${project.uuid})`).join(', ');
}

async function coolifyGet<T>(
  base: string,
  pathname: string,
  token: string,
  schema: z.ZodType<T>,
  timeoutMs: number,
): Promise<T> {
  let status: number;
  let text: string;
  let contentType: string;
  try {
    const response = await request(`${base}${pathname}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.statusCode;
    contentType = String(response.headers['content-type'] ?? '');
    text = await response.body.text();
  } catch (error) {
    throw new CockpitError(
      'IMPORT_FAILED',
      `Coolify at ${base} did not answer GET ${pathname} (${(error as Error).message}): check --api-url (it ends with /api/v1).`,
    );
  }
  if (status === 401 || status === 403)
    throw new CockpitError(
      'IMPORT_FAILED',
      `Coolify refused the token (${status}) on GET ${pathname}: create an API token in Coolify (Keys & Tokens → API tokens, read access) and pass it again.`,
    );
  if (status === 404)
    throw new CockpitError(
      'IMPORT_FAILED',
      `${base}${pathname} was not found (404): is ${base} Coolify's API? It usually ends with /api/v1.`,
    );
  if (status >= 400)
    throw new CockpitError('IMPORT_FAILED', `Coolify answered ${status} to GET ${pathname}: try again later.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CockpitError(
      'IMPORT_FAILED',
      `The answer to GET ${pathname} is not JSON (${contentType || 'no content type'}): ${base} does not look like Coolify's API.`,
    );
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new CockpitError(
      'IMPORT_FAILED',
      `The answer to GET ${pathname} is not what Coolify sends (${result.error.issues[0]?.message ?? 'unexpected shape'}): ${base} does not look like Coolify's API.`,
    );
  return result.data;
}

/** Turns a name into an id of the platform file (lowercase, digits, dashes, starting with a letter). */
function slug(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(cleaned) ? cleaned : `x-${cleaned || 'unnamed'}`;
}

function title(id: string): string {
  return id
    .split('-')
    .map((word) => (word ? word[0]!.toUpperCase() + word.slice(1) : word))
    .join(' ');
}

/** The words an environment goes by in application names: its own name, and the usual short forms. */
function environmentWords(name: string): string[] {
  const id = slug(name);
  const aliases: Record<string, string[]> = {
    production: ['production', 'prod', 'prd', 'live'],
    staging: ['staging', 'stage', 'stg'],
    development: ['development', 'dev'],
  };
  const family = Object.values(aliases).find((words) => words.includes(id));
  return [...new Set([id, ...(family ?? [])])].sort((a, b) => b.length - a.length);
}

/** An application's name without its environment's prefix or suffix (`staging-api` → `api`). */
export function serviceNameOf(applicationName: string, environmentName: string): string {
  let id = slug(applicationName);
  for (const word of environmentWords(environmentName)) {
    if (id.startsWith(`${word}-`)) id = id.slice(word.length + 1);
    if (id.endsWith(`-${word}`)) id = id.slice(0, -word.length - 1);
  }
  return id || slug(applicationName);
}

function firstDomain(fqdn: string | null | undefined): string | undefined {
  const first = fqdn
    ?.split(',')
    .map((entry) => entry.trim())
    .find(Boolean);
  if (!first) return undefined;
  const withScheme = /^https?:\/\//.test(first) ? first : `https://${first}`;
  try {
    const url = new URL(withScheme);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

function repositoryOf(application: Application): { url: string; flag?: string } | undefined {
  if (application.git_full_url) return { url: application.git_full_url };
  const repository = application.git_repository?.trim();
  if (!repository) return undefined;
  if (/^(https?|ssh|git):\/\/|^[^@\s]+@[^:\s]+:/.test(repository)) return { url: repository };
  return {
    url: `https://github.com/${repository.replace(/\.git$/, '')}.git`,
    flag: `repo.url made from git_repository "${repository}" on GitHub: check the host`,
  };
}

export interface ProposedPlatform {
  text: string;
  services: number;
  environments: number;
}

export interface ProposeOptions {
  /** The file's id and name (the project's by default). */
  id?: string;
  name?: string;
  /** The credential the deploys read the token from. */
  tokenCredential?: string;
  /** Where the schema comment points (relative to the written file). */
  schemaRef?: string;
}

/**
 * The platform file text for an inventory: schema-valid, with comments where a person must decide.
 * Throws IMPORT_FAILED if the proposal would not validate (never writes a broken file).
 */
export function proposePlatform(inventory: CoolifyInventory, options: ProposeOptions = {}): ProposedPlatform {
  const tokenCredential = options.tokenCredential ?? 'coolify-api-token';
  const environments = inventory.environments.map((environment) => {
    const id = slug(environment.name);
    const isProtected = /prod|live/.test(id);
    return { coolifyId: environment.id, coolifyName: environment.name, id, isProtected };
  });
  const byId = new Map(environments.map((environment) => [environment.coolifyId, environment]));
  type Proposed = { id: string; perEnvironment: Map<string, Application>; flags: string[] };
  const services = new Map<string, Proposed>();
  for (const application of inventory.applications) {
    const environment = byId.get(application.environment_id!)!;
    const id = serviceNameOf(application.name ?? application.uuid, environment.coolifyName);
    const service: Proposed = services.get(id) ?? { id, perEnvironment: new Map(), flags: [] };
    if (service.perEnvironment.has(environment.id))
      service.flags.push(
        `Coolify has several applications named like "${id}" in ${environment.coolifyName}; ${application.uuid} was left out`,
      );
    else service.perEnvironment.set(environment.id, application);
    services.set(id, service);
  }
  const usedEnvironments = environments.filter((environment) =>
    [...services.values()].some((service) => service.perEnvironment.has(environment.id)),
  );
  const serviceList = [...services.values()].sort((a, b) => a.id.localeCompare(b.id));
  const flags: { path: (string | number)[]; text: string }[] = [];

  const data = {
    ...(options.schemaRef ? { $schema: options.schemaRef } : {}),
    version: 1,
    id: options.id ?? slug(inventory.project.name),
    name: options.name ?? inventory.project.name,
    environments: usedEnvironments.map((environment) => ({
      id: environment.id,
      name: title(environment.id),
      protected: environment.isProtected,
      branch: environment.isProtected ? 'main' : 'develop',
    })),
    services: serviceList.map((service, index) => {
      const sample = [...service.perEnvironment.values()][0]!;
      const repo = repositoryOf(sample);
      if (repo?.flag) flags.push({ path: ['services', index, 'repo'], text: repo.flag });
      if (!repo)
        flags.push({
          path: ['services', index, 'repo'],
          text: 'Coolify names no git repository for this application: set repo.url (or repo.path, a clone of yours)',
        });
      flags.push({
        path: ['services', index, 'dependsOn'],
        text: 'what this service needs running first cannot be read from Coolify: list it here (deploy order)',
      });
      for (const text of service.flags) flags.push({ path: ['services', index], text });
      const environmentsOfService = Object.fromEntries(
        usedEnvironments
          .filter((environment) => service.perEnvironment.has(environment.id))
          .map((environment) => {
            const application = service.perEnvironment.get(environment.id)!;
            const url = firstDomain(application.fqdn);
            if (!url)
              flags.push({
                path: ['services', index, 'environments', environment.id, 'url'],
                text: `${application.name ?? application.uuid} has no domain in Coolify: set the URL it answers on`,
              });
            const healthPath = application.health_check_path?.trim();
            return [
              environment.id,
              {
                url: url ?? `https://${slug(application.uuid)}.${environment.id}.invalid`,
                ...(healthPath && healthPath.startsWith('/') ? { healthPath } : {}),
                deploy: {
                  provider: 'coolify',
                  apiUrl: inventory.apiUrl,
                  applicationUuid: application.uuid,
                  tokenCredential,
                },
              },
            ];
          }),
      );
      return {
        id: service.id,
        name: title(service.id),
        repo: { url: repo?.url ?? `https://git.invalid/${service.id}.git` },
        ...(sample.docker_registry_image_name ? { image: sample.docker_registry_image_name } : {}),
        dependsOn: [],
        environments: environmentsOfService,
      };
    }),
    credentials: [
      {
        id: tokenCredential,
        kind: 'api-token',
        description: `Coolify API token for ${inventory.apiUrl} (its value goes in the keychain, never in this file)`,
      },
    ],
  };

  const document = new Document(data);
  document.commentBefore = [
    ` Imported from Coolify (${inventory.apiUrl}, project "${inventory.project.name}").`,
    ' Check the comments below: what Coolify cannot say is flagged. Validate with `cockpit validate <file>`.',
    ' Databases, caches and deploy windows are not known to Coolify: add them (see the README).',
  ].join('\n');
  for (const flag of flags) {
    // On the key of a field (`# TODO …` above `repo:`), or on a list item itself.
    const parent = document.getIn(flag.path.slice(0, -1), true) as Node | undefined;
    const last = flag.path.at(-1);
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === last) : undefined;
    const node = (pair && isScalar(pair.key) ? pair.key : document.getIn(flag.path, true)) as Node | undefined;
    if (!node) continue;
    const line = ` TODO: ${flag.text}`;
    node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${line}` : line;
  }
  const header = options.schemaRef ? `# yaml-language-server: $schema=${options.schemaRef}\n` : '';
  const text = `${header}${document.toString({ lineWidth: 0 })}`;
  const checked = parsePlatform(text, 'the imported platform');
  if (!checked.ok)
    throw new CockpitError(
      'IMPORT_FAILED',
      `The proposed platform does not validate (${checked.problems[0]?.path}: ${checked.problems[0]?.message}); nothing was written.`,
      { problems: checked.problems },
    );
  return { text, services: serviceList.length, environments: usedEnvironments.length };
}

export interface ImportedPlatform {
  file: string;
  services: number;
  environments: number;
  projectName: string;
  tokenCredential: string;
}

/**
 * Reads Coolify, proposes the platform and writes it to `out` (a new `.yaml` file; never over an
 * existing one unless `replace`) with `platform.schema.json` beside it. Nothing is written when
 * anything fails.
 */
export async function importFromCoolify(
  options: CoolifyReadOptions & { out: string; replace?: boolean },
): Promise<ImportedPlatform> {
  const file = path.resolve(options.out);
  if (!/\.ya?ml$/i.test(file))
    throw new CockpitError('BAD_INPUT', `${file} is not a YAML file name: end it with .yaml.`);
  if (existsSync(file) && !options.replace)
    throw new CockpitError('BAD_INPUT', `${file} exists; nothing was written. Choose another file name.`);
  const inventory = await readCoolifyInventory(options);
  const tokenCredential = 'coolify-api-token';
  const proposed = proposePlatform(inventory, { schemaRef: './platform.schema.json', tokenCredential });
  await writeFileAtomic(file, proposed.text);
  const schemaFile = path.join(path.dirname(file), 'platform.schema.json');
  if (!existsSync(schemaFile)) await writeFileAtomic(schemaFile, platformJsonSchema());
  return {
    file,
    services: proposed.services,
    environments: proposed.environments,
    projectName: inventory.project.name,
    tokenCredential,
  };
}
