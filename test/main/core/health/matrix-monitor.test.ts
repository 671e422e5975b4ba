import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MatrixCell } from '../../../../src/shared/contract';
import { EventBus } from '../../../../src/main/core/event-bus';
import { MatrixMonitor } from '../../../../src/main/core/health/matrix-monitor';
import { HealthProber, isLoopbackHost } from '../../../../src/main/core/health/prober';
import { parsePlatform } from '../../../../src/main/core/platform/load';
import { recordingLogger, temporaryDataDir } from '../../../helpers/cockpit-builder';
import { startProbeServer, type ProbeServer } from './probe-servers';

const intervalMs = 250;
const timeoutMs = 300;
const running: { monitor: MatrixMonitor; prober: HealthProber; servers: ProbeServer[] }[] = [];

afterEach(async () => {
  for (const { monitor, prober, servers } of running.splice(0)) {
    monitor.stop();
    await prober.close();
    await Promise.all(servers.map((server) => server.close()));
  }
});

/** A platform of `names.length` services in one environment, each on its own loopback server. */
function platformFor(servers: ProbeServer[], names: string[]) {
  const services = names
    .map(
      (name, index) => `  - id: ${name}
    name: ${name}
    repo: { url: https://git.example.com/${name}.git }
    environments:
      production:
        url: ${servers[index]!.url}
        deploy: { provider: command, command: [deploy] }`,
    )
    .join('\n');
  const text = `version: 1
id: probe-test
name: Probe test
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
${services}
`;
  const result = parsePlatform(text, 'probe-test.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.platform;
}

async function startMonitor(names: string[], cacheFolder = temporaryDataDir()) {
  const servers = await Promise.all(names.map(() => startProbeServer('1.0.0')));
  const events = new EventBus();
  const changes: MatrixCell[][] = [];
  events.subscribe((channel, payload) => {
    if (channel === 'matrix:cells-changed') changes.push((payload as { cells: MatrixCell[] }).cells);
  });
  const prober = new HealthProber({ timeoutMs, isHostAllowed: isLoopbackHost });
  const monitor = new MatrixMonitor({
    platform: platformFor(servers, names),
    prober,
    events,
    logger: recordingLogger().logger,
    cacheFolder,
    idleIntervalMs: intervalMs,
    hotIntervalMs: 50,
    jitter: 0.1,
  });
  await monitor.load();
  monitor.start();
  running.push({ monitor, prober, servers });
  const cell = (name: string) => monitor.snapshot().cells.find((candidate) => candidate.service === name)!;
  await expect.poll(() => names.every((name) => cell(name).status === 'up'), { timeout: 3_000 }).toBe(true);
  return { servers, monitor, cell, changes };
}

/** Within two probe intervals (plus the probe's own deadline for the one that hangs). */
const twoIntervals = { timeout: 2 * intervalMs * 1.1 + timeoutMs + 200, interval: 20 };

describe('the live matrix against real loopback servers', () => {
  it('brings each cell to the right state within two probe intervals, without delaying the others', async () => {
    const { servers, cell } = await startMonitor(['steady', 'flips', 'hangs', 'closes', 'upgrades']);
    const [steadyServer, flips, hangs, closes, upgrades] = servers;
    const steadyProbesBefore = steadyServer!.requests;
    const began = Date.now();

    flips!.behaviour = 'error-500';
    hangs!.behaviour = 'hang';
    closes!.behaviour = 'close-socket';
    upgrades!.version = '1.1.0';

    await expect.poll(() => cell('flips').status, twoIntervals).toBe('down');
    await expect.poll(() => cell('upgrades').deployedVersion, twoIntervals).toBe('1.1.0');
    await expect.poll(() => cell('closes').status, twoIntervals).toBe('unreachable');
    await expect.poll(() => cell('hangs').status, twoIntervals).toBe('unreachable');
    expect(cell('hangs').error).toBe(`no answer within ${timeoutMs} ms`);
    expect(cell('flips').httpStatus).toBe(500);

    // The steady service kept being probed on its own schedule while the others failed.
    const steady = cell('steady');
    expect(steady.status).toBe('up');
    const expectedProbes = Math.floor((Date.now() - began) / (intervalMs * 1.1)) - 1;
    expect(steadyServer!.requests - steadyProbesBefore).toBeGreaterThanOrEqual(Math.max(1, expectedProbes));
    expect(Date.now() - Date.parse(steady.checkedAt!)).toBeLessThan(intervalMs * 1.1 + 150);
  });

  it('probes a service much more often while a deploy touches it', async () => {
    const { servers, monitor } = await startMonitor(['calm', 'deploying']);
    const [calm, deploying] = servers;
    const before = { calm: calm!.requests, deploying: deploying!.requests };
    monitor.markHot('deploying', 1_500);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const calmProbes = calm!.requests - before.calm;
    const hotProbes = deploying!.requests - before.deploying;
    expect(hotProbes).toBeGreaterThanOrEqual(calmProbes * 3);
  });

  it('asks a service that missed one probe again before calling it unreachable (no false alarm)', async () => {
    const { servers, cell, changes } = await startMonitor(['flaky']);
    const before = servers[0]!.requests;
    const seen = changes.length;
    servers[0]!.behaviour = 'close-once';
    await expect.poll(() => servers[0]!.requests - before, twoIntervals).toBeGreaterThanOrEqual(3);
    expect(cell('flaky').status).toBe('up');
    const statuses = changes
      .slice(seen)
      .flat()
      .filter((changed) => changed.service === 'flaky')
      .map((changed) => changed.status);
    expect(statuses).not.toContain('unreachable');
  });

  it('keeps the last known version of a service that stops answering, marked as such', async () => {
    const { servers, cell } = await startMonitor(['vanishes']);
    await servers[0]!.close();
    await expect.poll(() => cell('vanishes').status, twoIntervals).toBe('unreachable');
    expect(cell('vanishes')).toMatchObject({ deployedVersion: '1.0.0', isLastKnown: true });
    expect(cell('vanishes').lastUpAt).toBeDefined();
  });

  it('sends only the cells that changed', async () => {
    const { servers, changes, cell } = await startMonitor(['quiet', 'noisy']);
    changes.length = 0;
    servers[1]!.version = '2.0.0';
    await expect.poll(() => cell('noisy').deployedVersion, twoIntervals).toBe('2.0.0');
    const versionChange = changes
      .flat()
      .find((changed) => changed.service === 'noisy' && changed.deployedVersion === '2.0.0');
    expect(versionChange).toBeDefined();
    for (const batch of changes) expect(batch.length).toBeLessThanOrEqual(2);
  });

  it('starts from the last-known matrix saved by the previous session, marked as cached', async () => {
    const cacheFolder = temporaryDataDir();
    const first = await startMonitor(['remembered'], cacheFolder);
    await first.monitor.persistNow();
    first.monitor.stop();
    const servers = first.servers;
    const reloaded = new MatrixMonitor({
      platform: platformFor(servers, ['remembered']),
      prober: new HealthProber({ isHostAllowed: isLoopbackHost }),
      events: new EventBus(),
      logger: recordingLogger().logger,
      cacheFolder,
    });
    await reloaded.load();
    const snapshot = reloaded.snapshot();
    expect(snapshot.isFromCache).toBe(true);
    expect(snapshot.cells[0]).toMatchObject({
      service: 'remembered',
      deployedVersion: '1.0.0',
      status: 'up',
      isLastKnown: true,
    });
    expect(snapshot.asOf).toBeDefined();
  });

  it('ignores a damaged cache', async () => {
    const cacheFolder = temporaryDataDir();
    writeFileSync(path.join(cacheFolder, 'matrix-probe-test.json'), '{"platformId": "probe-test", "cells": 3');
    const servers = [await startProbeServer()];
    const monitor = new MatrixMonitor({
      platform: platformFor(servers, ['fresh']),
      prober: new HealthProber({ isHostAllowed: isLoopbackHost }),
      events: new EventBus(),
      logger: recordingLogger().logger,
      cacheFolder,
    });
    await monitor.load();
    expect(monitor.snapshot()).toMatchObject({ isFromCache: false, cells: [{ status: 'unknown' }] });
    await servers[0]!.close();
  });
});
