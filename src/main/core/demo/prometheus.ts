/**
 * A real Prometheus scraping the demo's instances, when Debian's `prometheus` binary is on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { demoEnvironments, demoServices } from './catalog';
import { uniqueFreePort, type DemoState } from './demo-state';
import { isOurProcess, isPortTaken, readPidFile } from './instances';
import type { DemoLayout } from './layout';

/** The Prometheus binary: `prometheus` on PATH unless COCKPIT_PROMETHEUS_BIN names another. */
export function prometheusBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.COCKPIT_PROMETHEUS_BIN?.trim() || 'prometheus';
}

/** Whether the Prometheus binary can be run. */
export function hasPrometheus(binary = prometheusBinary()): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Writes the scrape config and starts Prometheus detached on 127.0.0.1:`port`; returns its pid. */
export async function startPrometheus(layout: DemoLayout, port: number, targets: string[]): Promise<number> {
  mkdirSync(layout.prometheusFolder, { recursive: true });
  const configFile = path.join(layout.prometheusFolder, 'prometheus.yml');
  const config = [
    'global:',
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
    'scrape_configs:',
    '  - job_name: demo-services',
    '    static_configs:',
    `      - targets: [${targets.map((target) => `"${target}"`).join(', ')}]`,
    '',
  ].join('\n');
  await writeFile(configFile, config);
  const output = openSync(path.join(layout.prometheusFolder, 'prometheus.log'), 'a');
  try {
    const child = spawn(
      prometheusBinary(),
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(layout.prometheusFolder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=2d',
      ],
      { detached: true, stdio: ['ignore', output, output], cwd: layout.prometheusFolder },
    );
    child.unref();
    if (child.pid === undefined) throw new Error('prometheus could not be started');
    return child.pid;
  } finally {
    closeSync(output);
  }
}

/** Prometheus scraping the 14 instances, started if wanted and not running; or why metrics are off. */
export async function ensurePrometheus(layout: DemoLayout, state: DemoState, isWanted: boolean) {
  if (!isWanted || !hasPrometheus()) {
    return {
      prometheusUrl: undefined,
      metricsMessage: isWanted
        ? 'Metrics are off: no `prometheus` binary on PATH (Debian: apt-get install prometheus). Everything else works.'
        : 'Metrics are off (Prometheus not requested).',
    };
  }
  const running = readPidFile(layout.prometheusPidFile);
  if (!running || !isOurProcess(running.pid, layout)) {
    const taken = new Set(Object.values(state.ports).flatMap((byService) => Object.values(byService)));
    const port =
      state.prometheusPort && !(await isPortTaken(state.prometheusPort))
        ? state.prometheusPort
        : await uniqueFreePort(taken);
    const targets = demoEnvironments.flatMap((environment) =>
      demoServices.map((service) => `127.0.0.1:${state.ports[environment]![service.id]}`),
    );
    const pid = await startPrometheus(layout, port, targets);
    await mkdir(path.dirname(layout.prometheusPidFile), { recursive: true });
    await writeFile(
      layout.prometheusPidFile,
      `${JSON.stringify({ pid, port, version: 'prometheus', startedAt: new Date().toISOString() })}\n`,
    );
    state.prometheusPort = port;
  }
  const url = `http://127.0.0.1:${state.prometheusPort}`;
  return { prometheusUrl: url, metricsMessage: `Metrics: Prometheus at ${url} scrapes the 14 instances.` };
}
