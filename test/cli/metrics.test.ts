import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/main/core/ledger/ledger';
import { temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';

const sample = 'resources/platforms/penpal-ai.yaml';

/** A data folder whose ledger holds two production deploys two days ago: one succeeded (5 min), one failed. */
async function dataDirWithDeploys(): Promise<string> {
  const dataDir = temporaryDataDir();
  const twoDaysAgo = Date.now() - 2 * 86_400_000;
  let now = new Date(twoDaysAgo);
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', 'penpal-ai'),
    platformId: 'penpal-ai',
    actor: { name: 'Ana Release', source: 'git' },
    clock: () => now,
  });
  for (const [id, status, minutes] of [
    ['run-1', 'succeeded', 5],
    ['run-2', 'failed', 9],
  ] as const) {
    now = new Date(twoDaysAgo);
    await ledger.append([
      { action: 'deploy.started', status: 'started', correlationId: id, environment: 'production', summary: id },
    ]);
    now = new Date(twoDaysAgo + minutes * 60_000);
    await ledger.append([
      {
        action: 'deploy.finished',
        status,
        correlationId: id,
        environment: 'production',
        summary: id,
        details: { steps: [] },
      },
    ]);
  }
  return dataDir;
}

describe('cockpit metrics', () => {
  it('reports each KPI of production against its target, as text and as JSON', async () => {
    const env = { ...process.env, COCKPIT_DATA_DIR: await dataDirWithDeploys() };
    const text = await runCockpit(['metrics', '--platform', sample, '--since', '7d'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^production, the last 7 days/);
    // Two deploys are too few to call a rate on or off target: the value stands, and says so.
    expect(text.stdout).toMatch(
      /Deployment success rate +50 % {2}target > 95% {2}\(too few to judge\) {2}\(1 of 2 deploys succeeded\)/,
    );
    expect(text.stdout).toMatch(/Mean deploy time +5 min {2}target < 10 min {2}\(too few to judge\)/);
    const json = await runCockpit(['metrics', '--platform', sample, '--json'], env);
    const [report] = (
      JSON.parse(json.stdout) as { reports: { environment: string; kpis: { id: string; value?: number }[] }[] }
    ).reports;
    expect(report!.environment).toBe('production');
    expect(report!.kpis.find((kpi) => kpi.id === 'change-failure-rate')!.value).toBe(50);
  });

  it('refuses a period or an environment it does not know, with what to type', async () => {
    const badSince = await runCockpit(['metrics', '--platform', sample, '--since', 'last month']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toContain('is not a period such as 30d or 12w');
    const badEnv = await runCockpit(['metrics', '--platform', sample, '--env', 'qa']);
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('has no environment "qa"; expected one of staging, production');
  });
});
