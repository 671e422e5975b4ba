/**
 * The demo's running service instances: real detached processes with pid files, started from a
 * checked-out release, stopped only if the pid file's process is really ours.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { DemoLayout } from './layout';
import { getJson } from './loopback-http';

const PidFile = z.object({
  pid: z.number().int().positive(),
  port: z.number().int(),
  version: z.string(),
  startedAt: z.string(),
});
export type InstanceRecord = z.infer<typeof PidFile>;

export interface StartInstanceOptions {
  layout: DemoLayout;
  environment: string;
  serviceId: string;
  version: string;
  releaseFolder: string;
  commit: string;
  port: number;
  /** Delays readiness, to show that deploys wait for health rather than a fixed sleep. */
  startupDelayMs?: number;
  /** The Node binary that runs the service (the cockpit's own by default). */
  nodePath?: string;
}

/** Starts an instance detached from the cockpit and records its pid. */
export async function startInstance(options: StartInstanceOptions): Promise<InstanceRecord> {
  const { layout, environment, serviceId } = options;
  const logFile = layout.logFile(environment, serviceId);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const output = openSync(logFile, 'a');
  try {
    const child = spawn(options.nodePath ?? process.execPath, [path.join(options.releaseFolder, 'service.mjs')], {
      cwd: options.releaseFolder,
      detached: true,
      stdio: ['ignore', output, output],
      env: {
        PATH: process.env.PATH,
        ELECTRON_RUN_AS_NODE: '1',
        PORT: String(options.port),
        SERVICE_ID: serviceId,
        ENVIRONMENT: environment,
        RELEASE_COMMIT: options.commit,
        STARTUP_DELAY_MS: String(options.startupDelayMs ?? 0),
      },
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${serviceId} in ${environment}`);
    const record: InstanceRecord = {
      pid: child.pid,
      port: options.port,
      version: options.version,
      startedAt: new Date().toISOString(),
    };
    const pidFile = layout.pidFile(environment, serviceId);
    mkdirSync(path.dirname(pidFile), { recursive: true });
    await writeFile(pidFile, `${JSON.stringify(record)}\n`);
    return record;
  } finally {
    closeSync(output);
  }
}

/** The recorded instance, if its process is alive and is a demo service of this folder. */
export function runningInstance(
  layout: DemoLayout,
  environment: string,
  serviceId: string,
): InstanceRecord | undefined {
  const record = readPidFile(layout.pidFile(environment, serviceId));
  return record && isOurProcess(record.pid, layout) ? record : undefined;
}

/** Stops an instance (SIGTERM, then SIGKILL after a grace period) and removes its pid file. */
export async function stopInstance(
  layout: DemoLayout,
  environment: string,
  serviceId: string,
): Promise<InstanceRecord | undefined> {
  const pidFile = layout.pidFile(environment, serviceId);
  const record = runningInstance(layout, environment, serviceId);
  if (record) await terminate(record.pid);
  await rm(pidFile, { force: true });
  return record;
}

/** Stops a process by pid: SIGTERM, wait up to `graceMs`, then SIGKILL. */
export async function terminate(pid: number, graceMs = 3_000): Promise<void> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(25);
  if (isAlive(pid)) {
    signal(pid, 'SIGKILL');
    while (isAlive(pid)) await delay(10);
  }
}

/** Whether a process with this pid exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform === 'linux') {
    try {
      const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return status.split(') ')[1]?.[0] !== 'Z';
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Whether `pid` runs a program from this demo folder: a pid file can outlive its process and the
 * pid be reused by something else, which must never be killed.
 */
export function isOurProcess(pid: number, layout: DemoLayout): boolean {
  if (!isAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((argument) => argument.includes(layout.root));
  } catch {
    return false;
  }
}

export function readPidFile(file: string): InstanceRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = PidFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A free TCP port on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:`port`. */
export function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

export interface HealthReport {
  status: string;
  service: string;
  environment: string;
  version: string;
  commit: string;
}

/** Polls the health endpoint until it reports `version` and ok, or the timeout passes. */
export async function waitForHealthy(url: string, version: string, timeoutMs: number): Promise<HealthReport> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const answer = await getJson(url, 1_000);
      const body = answer.body as HealthReport;
      if (answer.status >= 200 && answer.status < 300 && body.status === 'ok' && body.version === version) return body;
      last = `HTTP ${answer.status}, status ${body.status}, version ${body.version}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await delay(50);
  }
  throw new Error(`${url} did not report version ${version} as healthy within ${timeoutMs} ms (last: ${last})`);
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
