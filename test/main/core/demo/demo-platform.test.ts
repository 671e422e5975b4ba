import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServices, latestVersion } from '../../../../src/main/core/demo/catalog';
import { isAlive } from '../../../../src/main/core/demo/instances';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { runCockpit } from '../../../helpers/cockpit-cli';

// This suite runs the demo with metrics off (no Prometheus); demo-prometheus.test.ts covers them.
const withoutPrometheus = { ...process.env, COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus' };

function cockpit(args: string[]) {
  return runCockpit(args, withoutPrometheus);
}

interface StatusJson {
  instances: {
    environment: string;
    service: string;
    url: string;
    pid?: number;
    isRunning: boolean;
    version?: string;
  }[];
}

async function health(url: string) {
  const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(3_000) });
  return { httpStatus: response.status, body: (await response.json()) as Record<string, string> };
}

function git(cwd: string, ...args: string[]) {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

describe('the demo platform (real processes, real git, real HTTP)', () => {
  let dir: string;
  let platformFile: string;
  let pids: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-demo-'));
    const up = await cockpit(['demo', 'up', '--dir', dir]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('Metrics are off: no `prometheus` binary on PATH');
    platformFile = up.stdout.trim().split('\n').at(-1)!;
  }, 120_000);

  afterAll(async () => {
    await cockpit(['demo', 'down', '--dir', dir, '--purge']);
  }, 60_000);

  it('prints the path of a valid platform file', async () => {
    expect(platformFile).toBe(path.join(dir, 'platform.yaml'));
    const loaded = await loadPlatformFile(platformFile);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.platform.services.map((service) => service.id)).toEqual(demoServices.map((service) => service.id));
    expect(loaded.platform.metrics.prometheusUrl).toBeUndefined();
    for (const service of loaded.platform.services) {
      for (const environment of ['staging', 'production']) {
        expect(service.environments[environment]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(service.environments[environment]?.deploy.provider).toBe('command');
      }
    }
  });

  it('runs 14 services whose health reports the version of the tag they were checked out from', async () => {
    const status = await cockpit(['demo', 'status', '--dir', dir, '--json']);
    expect(status.code).toBe(0);
    const { instances } = JSON.parse(status.stdout) as StatusJson;
    expect(instances).toHaveLength(14);
    pids = instances.map((instance) => instance.pid!);
    for (const instance of instances) {
      const { httpStatus, body } = await health(instance.url);
      expect(httpStatus).toBe(200);
      expect(body).toMatchObject({ status: 'ok', service: instance.service, environment: instance.environment });
      const releaseFolder = path.join(dir, 'releases', instance.environment, instance.service, `v${body.version}`);
      expect(git(releaseFolder, 'describe', '--tags', '--exact-match')).toBe(`v${body.version}`);
      expect(git(releaseFolder, 'rev-parse', 'HEAD')).toBe(body.commit);
    }
  });

  it('runs an older release in production than in staging, and staging older than the latest tag', async () => {
    const { instances } = JSON.parse((await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout) as StatusJson;
    const versionOf = (environment: string, service: string) =>
      instances.find((instance) => instance.environment === environment && instance.service === service)!.version!;
    const order = (version: string) => version.split('.').reduce((sum, part) => sum * 1000 + Number(part), 0);
    for (const service of demoServices) {
      expect(order(versionOf('production', service.id))).toBeLessThan(order(versionOf('staging', service.id)));
      expect(order(versionOf('staging', service.id))).toBeLessThan(order(latestVersion(service)));
    }
  });

  it('gives each service a repo with SemVer tags, a major release, conventional commits and develop ahead of main', () => {
    for (const service of demoServices) {
      const work = path.join(dir, 'work', service.id);
      const tags = git(work, 'tag', '--list', 'v*').split('\n');
      expect(tags.length).toBeGreaterThanOrEqual(4);
      expect(tags.every((tag) => /^v\d+\.\d+\.\d+$/.test(tag))).toBe(true);
      expect(tags.some((tag) => /^v[1-9]\d*\.0\.0$/.test(tag))).toBe(true);
      expect(Number(git(work, 'rev-list', '--count', 'main..develop'))).toBeGreaterThan(0);
      expect(git(work, 'describe', '--tags', '--abbrev=0', 'main')).toBe(`v${latestVersion(service)}`);
      const subjects = git(work, 'log', '--format=%s%n%b', 'develop');
      expect(subjects).toMatch(/^feat(\(.+\))?!?: /m);
      expect(subjects).toMatch(/^fix(\(.+\))?: /m);
      expect(subjects).toContain('BREAKING CHANGE:');
      expect(subjects).toMatch(/\[#\d+\]/);
      const pushed = git(path.join(dir, 'origin', `${service.id}.git`), 'rev-parse', 'develop');
      expect(git(work, 'rev-parse', 'develop')).toBe(pushed);
      const packageVersion = JSON.parse(git(work, 'show', `v${latestVersion(service)}:package.json`)).version;
      expect(packageVersion).toBe(latestVersion(service));
    }
  });

  it('is idempotent: a second up keeps the same processes', async () => {
    const again = await cockpit(['demo', 'up', '--dir', dir]);
    expect(again.code, again.stderr).toBe(0);
    const { instances } = JSON.parse((await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout) as StatusJson;
    expect(instances.map((instance) => instance.pid)).toEqual(pids);
  });

  it('deploys a tag with the command provider: stops the old instance, starts the new one, waits for health', async () => {
    const deploy = await cockpit([
      'demo',
      'deploy',
      '--dir',
      dir,
      '--service',
      'notify-service',
      '--environment',
      'staging',
      '--version',
      '1.1.0',
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/Stopped v1\.0\.1 \(pid \d+\)/);
    expect(deploy.stdout).toContain('Healthy: notify-service reports v1.1.0');
    const { instances } = JSON.parse((await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout) as StatusJson;
    const notify = instances.find(
      (instance) => instance.environment === 'staging' && instance.service === 'notify-service',
    )!;
    expect((await health(notify.url)).body.version).toBe('1.1.0');
    const triggers = readFileSync(path.join(dir, 'deploys.jsonl'), 'utf8').trim().split('\n');
    expect(triggers.map((line) => JSON.parse(line).version)).toEqual(['1.1.0']);
  });

  it('refuses to deploy a tag that does not exist, leaving the running instance alone', async () => {
    const { instances: before } = JSON.parse(
      (await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout,
    ) as StatusJson;
    const deploy = await cockpit([
      'demo',
      'deploy',
      '--dir',
      dir,
      '--service',
      'db-service',
      '--environment',
      'staging',
      '--version',
      '7.7.7',
    ]);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain('Tag v7.7.7 does not exist');
    const { instances: after } = JSON.parse(
      (await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout,
    ) as StatusJson;
    expect(after).toEqual(before);
  });

  it('restores data from a dated backup and checks its integrity', async () => {
    const backups = readdirSync(path.join(dir, 'backups', 'production')).sort();
    expect(backups).toHaveLength(3);
    expect(backups[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    expect((await cockpit(['demo', 'check-data', '--dir', dir, '--environment', 'production'])).code).toBe(0);
    const restore = await cockpit([
      'demo',
      'restore',
      '--dir',
      dir,
      '--environment',
      'production',
      '--backup',
      backups[0]!,
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    expect((await cockpit(['demo', 'check-data', '--dir', dir, '--environment', 'production'])).code).toBe(0);
    const outside = await cockpit(['demo', 'restore', '--dir', dir, '--environment', 'production', '--backup', '/etc']);
    expect(outside.code).toBe(1);
  });

  it('serves Prometheus metrics and a loopback drill switch', async () => {
    const { instances } = JSON.parse((await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout) as StatusJson;
    const url = instances[0]!.url;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('# TYPE http_request_duration_seconds histogram');
    expect(metrics).toMatch(/http_requests_total\{[^}]*code="200"\} \d+/);
    const drill = await fetch(`${url}/drill`, { method: 'POST', body: JSON.stringify({ unhealthy: true }) });
    expect(await drill.json()).toMatchObject({ unhealthy: true });
    expect((await health(url)).httpStatus).toBe(503);
    await fetch(`${url}/drill`, { method: 'POST', body: JSON.stringify({ unhealthy: false }) });
    expect((await health(url)).httpStatus).toBe(200);
  });

  it('stops every process it started on down, and nothing else', async () => {
    const { instances } = JSON.parse((await cockpit(['demo', 'status', '--dir', dir, '--json'])).stdout) as StatusJson;
    const running = instances.map((instance) => instance.pid!);
    const bystander = execFile(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const down = await cockpit(['demo', 'down', '--dir', dir]);
    expect(down.stdout).toContain('Stopped 14 demo processes.');
    for (const pid of running) expect(isAlive(pid)).toBe(false);
    expect(isAlive(bystander.pid!)).toBe(true);
    bystander.kill();
    expect(existsSync(path.join(dir, 'run', 'staging', 'db-service.pid'))).toBe(false);
    const status = await cockpit(['demo', 'status', '--dir', dir]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('stopped');
  });
});
