import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCockpit } from '../helpers/cockpit-cli';

const env = { ...process.env, COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-status-'));
const platform = path.join(dir, 'platform.yaml');

interface StatusCell {
  service: string;
  environment: string;
  status: string;
  deployedVersion: string | null;
  latestTag: string | null;
  latencyMs: number | null;
  checkedAt: string | null;
  error: string | null;
}

beforeAll(async () => {
  expect((await runCockpit(['demo', 'up', '--dir', dir], env)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await runCockpit(['demo', 'down', '--dir', dir, '--purge'], env);
}, 60_000);

describe('cockpit status on the demo platform', () => {
  it('prints every cell as JSON and exits 0 while production is up', async () => {
    const result = await runCockpit(['status', '--platform', platform, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const { cells } = JSON.parse(result.stdout) as { cells: StatusCell[] };
    expect(cells).toHaveLength(14);
    for (const cell of cells) {
      expect(Object.keys(cell)).toEqual([
        'service',
        'environment',
        'status',
        'deployedVersion',
        'latestTag',
        'latencyMs',
        'checkedAt',
        'error',
      ]);
      expect(cell.status).toBe('up');
      expect(cell.latestTag).toMatch(/^v\d+\.\d+\.\d+$/);
    }
    expect(cells.find((cell) => cell.service === 'auth-service' && cell.environment === 'production')).toMatchObject({
      deployedVersion: '2.0.0',
      latestTag: 'v2.1.0',
    });
  });

  it('exits 1 and says why when a production service is down', async () => {
    const status = JSON.parse((await runCockpit(['demo', 'status', '--dir', dir, '--json'], env)).stdout) as {
      instances: { environment: string; service: string; pid: number }[];
    };
    const victim = status.instances.find(
      (instance) => instance.environment === 'production' && instance.service === 'notify-service',
    )!;
    process.kill(victim.pid, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await runCockpit(['status', '--platform', platform], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/notify-service\s+v1\.1\.0\s+up v1\.0\.1 \d+ms\s+unreachable/);
    expect(result.stdout).toContain('notify-service in production: connection refused (nothing listens there)');
  });
});

describe('cockpit status on a flaky network', () => {
  it('asks an instance that missed a probe once more before calling it unreachable, and names --timeout', async () => {
    const { createServer } = await import('node:http');
    const { writeFileSync } = await import('node:fs');
    let requests = 0;
    // The first request is dropped (as a lossy network would); the next ones answer.
    const flaky = createServer((request, response) => {
      requests++;
      if (requests === 1) return request.socket.destroy();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","version":"1.2.3"}');
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const port = (flaky.address() as { port: number }).port;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-status-flaky-')), 'flaky.yaml');
    writeFileSync(
      file,
      `version: 1
id: flaky
name: Flaky
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
  - id: api
    name: API
    repo: { url: "https://git.example.com/api.git" }
    environments:
      production: { url: "http://127.0.0.1:${port}", deploy: { provider: command, command: ["true"] } }
`,
    );
    try {
      const result = await runCockpit(['status', '--platform', file, '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      const { cells } = JSON.parse(result.stdout) as { cells: StatusCell[] };
      expect(cells).toMatchObject([{ service: 'api', status: 'up', deployedVersion: '1.2.3' }]);
      expect(requests).toBe(2);
      const help = await runCockpit(['status', '--help'], env);
      expect(help.stdout).toContain('--timeout <ms>');
    } finally {
      flaky.close();
    }
  });
});
