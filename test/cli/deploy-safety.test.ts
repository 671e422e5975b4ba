/**
 * `cockpit deploy` refuses what it cannot trust, before anything is triggered: a version reported
 * by staging that is not SemVer, a usage mistake (--parallel 0, --versions garbage, a protected
 * environment without --confirm), an environment id such as `constructor`. And a crash right after
 * a deploy command's child started never makes the resume start it again. Real CLI processes, real
 * services on 127.0.0.1 and a real command provider counting its invocations.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../helpers/cockpit-builder';
import { repoRoot, runCockpit } from '../helpers/cockpit-cli';

/** Staging and production of one service, each its own server: health reports its version, POST /deploy sets it. */
const versions: Record<string, string> = {};
const servers: Server[] = [];
const bases: Record<string, string> = {};
const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-deploy-safety-'));
const counter = path.join(folder, 'invocations.txt');
const marker = path.join(folder, 'ran');

beforeAll(async () => {
  for (const environment of ['staging', 'production']) {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'POST' && url.pathname === '/deploy') {
        versions[environment] = url.searchParams.get('version') ?? '';
        response.writeHead(200).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok', version: versions[environment] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    bases[environment] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

beforeEach(() => {
  versions.staging = '1.0.0';
  versions.production = '1.0.0';
  writeFileSync(counter, '');
});

// The deploy command: counts itself, writes the marker with any version that is not plain
// SemVer (so one that reached it would show), then deploys once the test releases it.
const release = path.join(folder, 'release');
const deployScript = `const fs = require('node:fs');
const [base, environment, version, counter, marker, release] = process.argv.slice(1);
fs.appendFileSync(counter, environment + ' ' + version + '\\n');
if (!/^\\d+\\.\\d+\\.\\d+$/.test(version)) fs.writeFileSync(marker, version);
const go = () => fetch(base + '/deploy?version=' + version, { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1));
const wait = () => (fs.existsSync(release) ? go() : setTimeout(wait, 50));
wait();`;

function platformFile(): string {
  const file = path.join(folder, 'platform.yaml');
  const deploy = (environment: string) =>
    `{ provider: command, command: ["${process.execPath}", "-e", ${JSON.stringify(deployScript)}, "${bases[environment]}", "${environment}", "{version}", "${counter}", "${marker}", "${release}"] }`;
  writeFileSync(
    file,
    `version: 1
id: safety
name: Safety
environments:
  - { id: staging, name: Staging, branch: develop }
  - { id: production, name: Production, protected: true, branch: main }
services:
  - id: api
    name: API
    repo: { url: https://git.example.com/api.git }
    environments:
      staging: { url: "${bases.staging}", deploy: ${deploy('staging')} }
      production: { url: "${bases.production}", deploy: ${deploy('production')} }
roster:
  people:
    - { name: ${JSON.stringify(os.userInfo().username)}, osUser: ${JSON.stringify(os.userInfo().username)}, roles: [release-manager, devops] }
`,
  );
  return file;
}

const invocations = () => readFileSync(counter, 'utf8').split('\n').filter(Boolean);
const env = () => ({ ...process.env, COCKPIT_DATA_DIR: temporaryDataDir() });

describe('what staging reports is not trusted as production’s target', () => {
  it.each(['1.0.0; touch /tmp/x', '$(id)', '--upload-pack=x', '1.0.0\n--force'])(
    'refuses a health body reporting %j, naming the service and the value, before any trigger',
    async (reported) => {
      versions.staging = reported;
      const file = platformFile();
      const planned = await runCockpit(['deploy', 'production', '--platform', file, '--plan-only', '--json'], env());
      expect(planned.code).toBe(1);
      expect(planned.stderr).toContain('The version api reports in Staging is');
      expect(planned.stderr).toContain(JSON.stringify(reported).slice(1, 10));
      const started = await runCockpit(
        ['deploy', 'production', '--platform', file, '--confirm', 'production', '--yes'],
        env(),
      );
      expect(started.code).toBe(1);
      expect(invocations()).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    },
  );
});

describe('usage mistakes are exit 2 and trigger nothing', () => {
  it.each([
    [['--parallel', '0']],
    [['--parallel', 'lots']],
    [['--parallel', '-1']],
    [['--versions', 'api=1.2.3;rm']],
    [['--versions', 'api=$(id)']],
    [['--versions', 'api=1.2.3 x']],
  ])('refuses %j', async (extra) => {
    const result = await runCockpit(['deploy', 'staging', '--platform', platformFile(), '--yes', ...extra], env());
    expect(result.code).toBe(2);
    expect(invocations()).toEqual([]);
  });

  it('asks for --confirm before a protected deploy, before looking at windows or gates', async () => {
    const result = await runCockpit(
      ['deploy', 'production', '--platform', platformFile(), '--versions', 'api=1.1.0', '--yes'],
      env(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('add --confirm "production"');
    expect(result.stderr).not.toMatch(/window|gate/i);
    expect(invocations()).toEqual([]);
  });

  it.each(['constructor', '__proto__', 'toString', 'history'])('says %j is no environment', async (name) => {
    const result = await runCockpit(['deploy', name, '--platform', platformFile(), '--plan-only'], env());
    expect(result.code).toBe(2);
    expect(invocations()).toEqual([]);
  });
});

describe('a crash right after the deploy command started', () => {
  it('resumes by waiting for the child it finds again: the command runs once', async () => {
    const file = platformFile();
    const dataEnv = env();
    // The cockpit dies (SIGKILL) the instant its child exists, before the child's pid is journaled.
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(repoRoot, 'bin', 'cockpit.js'),
          'deploy',
          'staging',
          '--platform',
          file,
          '--versions',
          'api=1.2.0',
          '--yes',
        ],
        { cwd: repoRoot, env: { ...dataEnv, COCKPIT_FAULT: 'after-spawn' }, stdio: 'ignore' },
      );
      child.once('exit', (_code, signal) => resolve(signal));
    });
    expect(exit).toBe('SIGKILL');
    expect(versions.staging).toBe('1.0.0');
    await expect.poll(invocations).toEqual(['staging 1.2.0']);
    // The resume finds the child still running and waits for it; the test then lets it finish.
    const resumed = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(repoRoot, 'bin', 'cockpit.js'),
          'deploy',
          'staging',
          '--platform',
          file,
          '--resume',
          'latest',
          '--yes',
        ],
        { cwd: repoRoot, env: dataEnv, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const collect = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('still runs') && !existsSync(release)) writeFileSync(release, '');
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('close', (code) => resolve({ code, output }));
    });
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain('still runs');
    expect(versions.staging).toBe('1.2.0');
    expect(invocations()).toEqual(['staging 1.2.0']);
  });
});
