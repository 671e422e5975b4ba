import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPrometheus } from '../../../../src/main/core/demo/prometheus';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { prometheusGates } from '../../../../src/main/core/policy/prometheus-gates';
import { PostDeployWatch, readWatch } from '../../../../src/main/core/policy/post-deploy-watch';
import { EventBus } from '../../../../src/main/core/event-bus';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const bin = path.join(repoRoot, 'bin', 'cockpit.js');

// Needs Debian's `prometheus` package (CI installs it); skipped, not faked, where it is absent.
describe.skipIf(!hasPrometheus() && !process.env.CI)('the demo platform with a real Prometheus', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-demo-metrics-'));

  afterAll(async () => {
    await run(process.execPath, [bin, 'demo', 'down', '--dir', dir, '--purge'], { cwd: repoRoot });
  }, 60_000);

  it('starts Prometheus on loopback, records its URL, and scrapes all 14 instances', async () => {
    const { stdout } = await run(process.execPath, [bin, 'demo', 'up', '--dir', dir], {
      cwd: repoRoot,
      timeout: 120_000,
    });
    expect(stdout).toMatch(/Metrics: Prometheus at http:\/\/127\.0\.0\.1:\d+ scrapes the 14 instances\./);
    const loaded = await loadPlatformFile(path.join(dir, 'platform.yaml'));
    if (!loaded.ok) throw new Error(loaded.problems.map((problem) => problem.message).join('\n'));
    const prometheusUrl = loaded.platform.metrics.prometheusUrl!;
    expect(prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await expect
      .poll(
        async () => {
          const response = await fetch(`${prometheusUrl}/api/v1/targets`).catch(() => undefined);
          if (!response?.ok) return 0;
          const body = (await response.json()) as { data: { activeTargets: { health: string }[] } };
          return body.data.activeTargets.filter((target) => target.health === 'up').length;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(14);
    const query = new URL('/api/v1/query', prometheusUrl);
    query.searchParams.set('query', 'count(app_info)');
    const answer = (await (await fetch(query)).json()) as { data: { result: { value: [number, string] }[] } };
    expect(answer.data.result[0]?.value[1]).toBe('14');

    // The warning gates read this Prometheus: quiet at first, then the drill makes latency and errors rise.
    const gates = () =>
      prometheusGates({ platform: loaded.platform, environment: 'production', prometheusUrl, window: '20s' });
    await expect
      .poll(async () => (await gates()).map((gate) => `${gate.id} ${gate.verdict}`), {
        timeout: 40_000,
        interval: 1_000,
      })
      .toEqual(['latency:production pass', 'errors:production pass', 'resources:production pass']);
    const drill = async (service: string, change: object) => {
      const url = loaded.platform.services.find((candidate) => candidate.id === service)!.environments.production!.url;
      expect((await fetch(`${url}/drill`, { method: 'POST', body: JSON.stringify(change) })).status).toBe(200);
    };
    const beforeDrill = new Date();
    await drill('auth-service', { latencyMs: 900 });
    await drill('payment-service', { errorRate: 0.5 });
    await expect
      .poll(async () => (await gates()).map((gate) => gate.verdict), { timeout: 40_000, interval: 1_000 })
      .toEqual(['warn', 'warn', 'pass']);
    const [latency, errors] = await gates();
    expect(latency!.evidence).toMatch(/^auth-service \d+ ms > 500 ms$/);
    expect(errors!.evidence).toMatch(/^payment-service \d+\.\d\d % > 0\.50 %$/);

    // The post-deploy watch: the same figures against the moment the "deploy" began.
    const stable = await readWatch({
      prometheusUrl,
      environment: 'production',
      baselineAt: beforeDrill,
      at: beforeDrill,
      window: '20s',
    });
    expect(stable).toMatchObject({ alerts: [] });
    const dataDir = temporaryDataDir();
    const ledger = new Ledger({
      folder: path.join(dataDir, 'ledger', loaded.platform.id),
      platformId: loaded.platform.id,
      actor: { name: 'Watcher', source: 'os' },
    });
    const events = new EventBus();
    const alerted: unknown[] = [];
    events.subscribe((channel, payload) => channel === 'watch:alerted' && alerted.push(payload));
    const watch = new PostDeployWatch({
      platform: loaded.platform,
      dataDir,
      events,
      audit: new AuditTrail(ledger, () => undefined),
      window: '20s',
    });
    await watch.watch('deploy-1', 'production', beforeDrill);
    const [watched] = await watch.check();
    const messages = watched!.last!.alerts.map((alert) => `${alert.service} ${alert.metric}`).sort();
    expect(messages).toEqual(['auth-service latency', 'payment-service errors']);
    expect(watched!.last!.alerts.find((alert) => alert.metric === 'latency')!.message).toMatch(
      /^auth-service: latency p95 \d+ ms, [\d.]+× the \d+ ms before the deploy \(alert above 2×\)$/,
    );
    expect(alerted).toHaveLength(1);
    expect((await ledger.readAll()).filter((record) => record.action === 'watch.alert')).toHaveLength(1);
    // A second reading with the same alerts says nothing new; a restart goes on watching.
    await watch.check();
    expect(alerted).toHaveLength(1);
    const restarted = new PostDeployWatch({
      platform: loaded.platform,
      dataDir,
      events,
      audit: new AuditTrail(ledger, () => undefined),
    });
    expect((await restarted.list()).map((entry) => entry.runId)).toEqual(['deploy-1']);

    // Prometheus out of reach: unknown, never pass.
    const unreachable = await prometheusGates({
      platform: loaded.platform,
      environment: 'production',
      prometheusUrl: 'http://127.0.0.1:9',
    });
    expect(unreachable.map((gate) => gate.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
  }, 150_000);
});
