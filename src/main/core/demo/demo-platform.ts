/**
 * The embedded demo platform: seven real services × two environments on loopback, each backed by
 * a real git repository, deployed by a real command. `up` is idempotent, `down` stops everything
 * it started and nothing else.
 */
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';

import { existsSync } from 'node:fs';

import path from 'node:path';
import { writeFileAtomic } from '../atomic-file';

import { CockpitError } from '../errors';

import { demoEnvironments, demoServices, type DemoEnvironment } from './catalog';

import { checkDataStore, ensureDataStore, restoreBackup } from './data-store';

import { loadSigningKey, signingKeySetting } from '../identity/signing-key';

import { resolveActor } from '../ledger/actor';

import { currentOsUser } from '../policy/roles';

import { demoPlatformYaml } from './demo-platform-file';

import {
  isOurProcess,
  readPidFile,
  runningInstance,
  startInstance,
  stopInstance,
  terminate,
  waitForHealthy,
} from './instances';
import { demoLayout, type DemoLayout } from './layout';
import { getJson } from './loopback-http';

import { ensurePortsFree, initialState, readState, writeState, type DemoState } from './demo-state';

import { ensurePrometheus } from './prometheus';

import { checkoutRelease, ensureServiceRepos, hasReleaseTag } from './repos';

export interface DemoOptions {
  /** The demo's folder. */
  root: string;
  /** The `resources/` folder (holds `demo/service.mjs`). */
  resourcesDir: string;
  /** The command that runs the cockpit CLI, written into the platform file's deploy commands. */
  cliCommand: string[];
  /** Progress lines for the person waiting. */
  log?: (line: string) => void;
  clock?: () => Date;
  /** Starts Prometheus when its binary is present (default true). */
  withPrometheus?: boolean;
}

export interface DemoInstanceStatus {
  environment: string;
  service: string;
  port: number;
  url: string;
  pid?: number;
  isRunning: boolean;
  version?: string;
}

export interface DemoUpResult {
  platformFile: string;
  instances: DemoInstanceStatus[];
  prometheusUrl?: string;
  metricsMessage: string;
}

const healthTimeoutMs = 15_000;

/** Creates (or resumes) the demo platform and returns its platform file. */
export async function demoUp(options: DemoOptions): Promise<DemoUpResult> {
  const layout = demoLayout(options.root);
  const log = options.log ?? (() => undefined);
  const now = (options.clock ?? (() => new Date()))();
  await mkdir(layout.root, { recursive: true });
  const serviceProgram = await readFile(path.join(options.resourcesDir, 'demo', 'service.mjs'), 'utf8');

  log(`Preparing git repositories in ${layout.root}`);
  await Promise.all(demoServices.map((service) => ensureServiceRepos(layout, service, serviceProgram, now)));
  for (const environment of demoEnvironments)
    await ensureDataStore(layout.data(environment), layout.backups(environment), now);

  const state = (await readState(layout)) ?? (await initialState(now));
  await ensurePortsFree(layout, state);

  log('Starting 14 services (7 per environment)');
  await Promise.all(
    demoEnvironments.flatMap((environment) =>
      demoServices.map(async (service) => {
        const version = await currentRelease(layout, environment, service.id);
        const port = state.ports[environment]![service.id]!;
        const running = runningInstance(layout, environment, service.id);
        if (running && running.port === port) return;
        if (running) await stopInstance(layout, environment, service.id);
        await launch(layout, state, environment, service.id, version);
      }),
    ),
  );
  await Promise.all(
    demoEnvironments.flatMap((environment) =>
      demoServices.map(async (service) =>
        waitForHealthy(
          healthUrl(state, environment, service.id),
          await currentRelease(layout, environment, service.id),
          healthTimeoutMs,
        ),
      ),
    ),
  );

  const { prometheusUrl, metricsMessage } = await ensurePrometheus(layout, state, options.withPrometheus ?? true);
  log(metricsMessage);
  await writeState(layout, state);
  await writeFile(
    layout.platformFile,
    demoPlatformYaml({
      layout,
      ports: state.ports,
      cliCommand: options.cliCommand,
      prometheusUrl,
      operator: await demoOperator(),
    }),
  );
  log(`Platform file: ${layout.platformFile}`);
  return {
    platformFile: layout.platformFile,
    instances: await demoStatus(options.root),
    prometheusUrl,
    metricsMessage,
  };
}

/** Stops every process the demo started; with `purge`, also deletes its folder. */
export async function demoDown(root: string, options: { purge?: boolean } = {}): Promise<number> {
  const layout = demoLayout(root);
  let stopped = 0;
  await Promise.all(
    demoEnvironments.flatMap((environment) =>
      demoServices.map(async (service) => {
        if (await stopInstance(layout, environment, service.id)) stopped++;
      }),
    ),
  );
  const prometheus = readPidFile(layout.prometheusPidFile);
  if (prometheus && isOurProcess(prometheus.pid, layout)) {
    await terminate(prometheus.pid);
    stopped++;
  }
  await rm(layout.prometheusPidFile, { force: true });
  if (options.purge) await rm(layout.root, { recursive: true, force: true });
  return stopped;
}

/** Every instance with its port, pid and the version it reports. */
export async function demoStatus(root: string): Promise<DemoInstanceStatus[]> {
  const layout = demoLayout(root);
  const state = await readState(layout);
  if (!state) return [];
  return Promise.all(
    demoEnvironments.flatMap((environment) =>
      demoServices.map(async (service): Promise<DemoInstanceStatus> => {
        const port = state.ports[environment]![service.id]!;
        const running = runningInstance(layout, environment, service.id);
        let version: string | undefined;
        if (running) {
          try {
            const answer = await getJson(healthUrl(state, environment, service.id), 2_000);
            version = (answer.body as { version?: string } | null)?.version;
          } catch {
            version = undefined;
          }
        }
        return {
          environment,
          service: service.id,
          port,
          url: `http://127.0.0.1:${port}`,
          pid: running?.pid,
          isRunning: running !== undefined,
          version,
        };
      }),
    ),
  );
}

export interface DemoDeployOptions {
  root: string;
  service: string;
  environment: string;
  version: string;
  log: (line: string) => void;
  startupDelayMs?: number;
  /** Return once the new instance is started, like a remote trigger (the benchmark's deploys). */
  isFireAndForget?: boolean;
}

/**
 * Deploys `v<version>` of a service to an environment: checks out the tag into a release folder,
 * stops the running instance, starts the new one on the same port and waits until it reports the
 * version. Each trigger is appended to `deploys.jsonl`, so tests can count them.
 */
export async function demoDeploy(options: DemoDeployOptions): Promise<void> {
  const layout = demoLayout(options.root);
  const { service, log } = options;
  const environment = options.environment as DemoEnvironment;
  const version = options.version.replace(/^v/, '');
  const state = await requireInstance(layout, service, environment);
  await appendFile(
    layout.triggerLog,
    `${JSON.stringify({ at: new Date().toISOString(), service, environment, version, pid: process.pid })}\n`,
  );
  log(`Deploying ${service} v${version} to ${environment}`);
  if (!(await hasReleaseTag(layout, service, version))) {
    throw new CockpitError(
      'DEMO_FAILED',
      `Tag v${version} does not exist in ${service}'s repository: cut the release first.`,
    );
  }
  const release = await checkoutRelease(layout, environment, service, version);
  log(`Checked out v${version} (${release.commit.slice(0, 7)}) into ${path.relative(layout.root, release.folder)}`);
  const stopped = await stopInstance(layout, environment, service);
  log(stopped ? `Stopped v${stopped.version} (pid ${stopped.pid})` : 'No running instance to stop');
  const { pid, port } = await launch(layout, state, environment, service, version, options.startupDelayMs);
  if (options.isFireAndForget) {
    await writeFileAtomic(layout.currentReleaseFile(environment, service), `${version}\n`);
    log(`Started v${version} on 127.0.0.1:${port} (pid ${pid})`);
    return;
  }
  log(`Started v${version} on 127.0.0.1:${port} (pid ${pid}); waiting for health`);
  const began = Date.now();
  await becomeHealthy(state, environment, service, version);
  await writeFileAtomic(layout.currentReleaseFile(environment, service), `${version}\n`);
  log(`Healthy: ${service} reports v${version} after ${Date.now() - began} ms`);
}

/** Stops a running instance (the level 3 drill stops the services that use the data). */
export async function demoStop(root: string, environment: string, service: string, log: (line: string) => void) {
  const layout = demoLayout(root);
  await requireInstance(layout, service, environment);
  const stopped = await stopInstance(layout, environment, service);
  log(
    stopped
      ? `Stopped ${service} v${stopped.version} in ${environment} (pid ${stopped.pid})`
      : `${service} in ${environment} was not running`,
  );
}

/** Starts an instance again at the version it last ran, and waits until it is healthy. */
export async function demoStart(root: string, environment: string, service: string, log: (line: string) => void) {
  const layout = demoLayout(root);
  const state = await requireInstance(layout, service, environment);
  const running = runningInstance(layout, environment, service);
  if (running) {
    log(`${service} in ${environment} is already running v${running.version} (pid ${running.pid})`);
    return;
  }
  const version = await currentRelease(layout, environment as DemoEnvironment, service);
  const { pid, port } = await launch(layout, state, environment, service, version);
  log(`Started ${service} v${version} in ${environment} on 127.0.0.1:${port} (pid ${pid}); waiting for health`);
  await becomeHealthy(state, environment, service, version);
  log(`Healthy: ${service} reports v${version}`);
}

/** Starts `v<version>` of an instance on its port from its checked-out release folder. */
async function launch(
  layout: DemoLayout,
  state: DemoState,
  environment: string,
  service: string,
  version: string,
  startupDelayMs?: number,
): Promise<{ pid: number; port: number }> {
  const release = await checkoutRelease(layout, environment, service, version);
  const port = state.ports[environment]![service]!;
  const started = await startInstance({
    layout,
    environment,
    serviceId: service,
    version,
    releaseFolder: release.folder,
    commit: release.commit,
    port,
    startupDelayMs,
  });
  return { pid: started.pid, port };
}

/** Waits until the instance reports `version` and is healthy; a typed error otherwise. */
async function becomeHealthy(state: DemoState, environment: string, service: string, version: string) {
  try {
    await waitForHealthy(healthUrl(state, environment, service), version, healthTimeoutMs);
  } catch (error) {
    throw new CockpitError('DEMO_FAILED', (error as Error).message);
  }
}

/** The demo's state, once the service and environment are known to be the demo's. */
async function requireInstance(layout: DemoLayout, service: string, environment: string): Promise<DemoState> {
  const state = await readState(layout);
  if (!state)
    throw new CockpitError('DEMO_FAILED', `No demo platform in ${layout.root}: run \`cockpit demo up\` first.`);
  if (!demoServices.some((candidate) => candidate.id === service)) {
    throw new CockpitError(
      'DEMO_FAILED',
      `Unknown service "${service}"; expected one of ${demoServices.map((s) => s.id).join(', ')}.`,
    );
  }
  if (!(demoEnvironments as readonly string[]).includes(environment)) {
    throw new CockpitError('DEMO_FAILED', `Unknown environment "${environment}"; expected staging or production.`);
  }
  return state;
}

/** Restores an environment's data from a backup folder (the level 3 drill's restore command). */
export async function demoRestore(
  root: string,
  environment: string,
  backup: string,
  log: (line: string) => void,
): Promise<void> {
  const layout = demoLayout(root);
  const backupFolder = path.isAbsolute(backup) ? backup : path.join(layout.backups(environment), backup);
  if (!backupFolder.startsWith(layout.backups(environment) + path.sep)) {
    throw new CockpitError('DEMO_FAILED', `The backup must be inside ${layout.backups(environment)}.`);
  }
  if (!existsSync(backupFolder)) throw new CockpitError('DEMO_FAILED', `No backup at ${backupFolder}.`);
  log(`Restoring ${environment} data from ${path.basename(backupFolder)}`);
  await restoreBackup(layout.data(environment), backupFolder);
  log('Restore complete');
}

/** The integrity problems of an environment's data (empty when sound). */
export function demoCheckData(root: string, environment: string): Promise<string[]> {
  return checkDataStore(demoLayout(root).data(environment));
}

/** The version an instance runs: the last one deployed, else the catalog's starting release. */
async function currentRelease(layout: DemoLayout, environment: DemoEnvironment, serviceId: string): Promise<string> {
  try {
    const recorded = (await readFile(layout.currentReleaseFile(environment, serviceId), 'utf8')).trim();
    if (/^\d+\.\d+\.\d+$/.test(recorded)) return recorded;
  } catch {
    // Never deployed: fall back to the catalog.
  }
  const service = demoServices.find((candidate) => candidate.id === serviceId)!;
  return environment === 'production' ? service.production : service.staging;
}

function healthUrl(state: DemoState, environment: string, service: string): string {
  return `http://127.0.0.1:${state.ports[environment]![service]}/api/v1/health`;
}

/**
 * The person running the demo, as the roster will recognise them — with the SSH signing key git
 * signs their commits with, when they have one, so the demo signs approvals as a team would.
 */
async function demoOperator(): Promise<{ name: string; email?: string; osUser?: string; signingKeys?: string[] }> {
  const actor = await resolveActor();
  const osUser = currentOsUser();
  const key = await signingKeySetting()
    .then(loadSigningKey)
    .catch(() => undefined);
  return {
    name: actor.name,
    ...(actor.email ? { email: actor.email } : {}),
    ...(osUser ? { osUser } : {}),
    ...(key ? { signingKeys: [key.publicKey.line] } : {}),
  };
}
