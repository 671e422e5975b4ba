/**
 * The wizard's side of a rollback, in the core: it asks before a step that changes something,
 * waits for the answer, retries or abandons on request, waits for the network, streams redacted
 * output and fills the notices. Against a real service on 127.0.0.1 deployed by a real command.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../src/shared/contract';
import { createProviderFactory } from '../../../../src/main/core/deploy/provider-factory';
import { EventBus } from '../../../../src/main/core/event-bus';
import { HealthProber } from '../../../../src/main/core/health/prober';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { RollbackService } from '../../../../src/main/core/rollback/rollback-service';
import { postMortemDraft } from '../../../../src/main/core/comms/post-mortem';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { stagingPlatform } from '../../../helpers/staging-platform';

const secret = 'rollback-test-secret-3f9a1c';

/** A service whose health reports `version`; POST /deploy?version=X deploys X (or fails when told to). */
const service = { version: '2.0.0', failDeploys: 0, server: undefined as Server | undefined, url: '' };

beforeAll(async () => {
  service.server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'POST' && url.pathname === '/deploy') {
      if (service.failDeploys > 0) {
        service.failDeploys--;
        response.writeHead(503).end();
        return;
      }
      service.version = url.searchParams.get('version') ?? service.version;
      response.writeHead(200).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ok', version: service.version }));
  });
  await new Promise<void>((resolve) => service.server!.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(service.server!.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => service.server?.close(resolve));
});

// The deploy command: prints a line with the secret in it (it must never reach an event), then deploys.
const deployScript = `const [url, version, token] = process.argv.slice(1);
console.log('deploying ' + version + ' with token=' + token);
fetch(url + '/deploy?version=' + version, { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1));`;

function setup(options: { isReachable?: (url: string) => Promise<boolean> } = {}) {
  const platform = stagingPlatform('rollback-service', [
    {
      id: 'api',
      url: service.url,
      deploy: `{ provider: command, command: ["${process.execPath}", "-e", ${JSON.stringify(deployScript)}, "${service.url}", "{version}", "${secret}"] }`,
    },
  ]);
  const dataDir = temporaryDataDir();
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', platform.id),
    platformId: platform.id,
    actor: { name: 'On Call', email: 'oncall@example.com', source: 'git' },
  });
  const events = new EventBus();
  const seen: { channel: string; payload: unknown }[] = [];
  events.subscribe((channel, payload) => seen.push({ channel, payload }));
  const redactor = new Redactor();
  redactor.add(secret);
  const prober = new HealthProber({ timeoutMs: 2_000 });
  const rollbacks = new RollbackService({
    platform,
    dataDir,
    prober,
    audit: new AuditTrail(ledger, () => undefined),
    events,
    redactor,
    identity: { name: 'On Call', email: 'oncall@example.com' },
    providers: createProviderFactory(),
    isReachable: options.isReachable,
    networkRetryMs: 20,
  });
  const progress = () =>
    seen
      .filter((event) => event.channel === 'rollback:progress')
      .map((event) => event.payload as EventPayload<'rollback:progress'>);
  const latest = () => progress().at(-1);
  const output = () =>
    seen
      .filter((event) => event.channel === 'rollback:output')
      .map((event) => (event.payload as { text: string }).text)
      .join('');
  return { rollbacks, ledger, seen, progress, latest, output, prober };
}

let opened: ReturnType<typeof setup>[] = [];
function openService(options?: Parameters<typeof setup>[0]) {
  const made = setup(options);
  opened.push(made);
  return made;
}
afterEach(async () => {
  for (const made of opened) await made.prober.close();
  opened = [];
  service.version = '2.0.0';
  service.failDeploys = 0;
});

describe('a rollback walked from the app', () => {
  it('asks before the redeploy, says what it touches, and goes on when told to', async () => {
    const { rollbacks, latest, output, seen, ledger } = openService();
    const { rollbackId } = await rollbacks.start({
      level: 1,
      service: 'api',
      environment: 'staging',
      to: '1.0.0',
      reason: 'checkout errors',
    });
    await expect.poll(() => latest()?.awaiting?.stepId).toBe('redeploy');
    expect(latest()!.awaiting!.question).toContain('Stops the running version');
    expect(service.version).toBe('2.0.0'); // nothing changed while it waits
    expect(latest()!.notices!.internal).toContain('Version: v2.0.0 → v1.0.0');
    expect(latest()!.notices!.internal).toContain('Reason: checkout errors');
    expect(latest()!.notices!.internal).toContain('Contact: On Call <oncall@example.com>');
    expect(latest()!.notices!.maintenance).toBeUndefined(); // level 1: users are not told yet

    expect(rollbacks.decide(rollbackId, 'continue').detail).toBe('Going on.');
    await expect.poll(() => latest()?.status).toBe('succeeded');
    expect(service.version).toBe('1.0.0');
    expect(output()).toContain('deploying 1.0.0 with token=***');
    expect(JSON.stringify(seen)).not.toContain(secret);
    const steps = (await ledger.readAll())
      .filter((record) => record.action === 'rollback.step')
      .map((record) => `${String(record.details?.step)}:${record.status}`);
    expect(steps).toEqual([
      'choose:started',
      'choose:succeeded',
      'redeploy:started',
      'redeploy:succeeded',
      'verify:started',
      'verify:succeeded',
    ]);
    const finished = (await ledger.readAll()).filter((record) => record.action === 'rollback.finished');
    expect(finished).toMatchObject([{ status: 'succeeded', details: { level: 1, changedSomething: true } }]);
    expect(finished[0]!.durationMs).toBeGreaterThan(0);

    // The post-mortem draft follows the manual's template, from what the ledger recorded.
    const draft = postMortemDraft(await ledger.readAll(), rollbackId, 'Europe/Paris')!;
    expect(draft).toMatch(/^# Post-mortem: api in staging, \d{4}-\d{2}-\d{2}\n/);
    for (const heading of ['## Incident Summary', '## Timeline', '## Root Cause', '## Resolution', '## Prevention'])
      expect(draft).toContain(heading);
    expect(draft).toContain('- Severity: Medium (a level 1 rollback)');
    expect(draft).toMatch(/- \d{2}:\d{2} – Level 1 rollback initiated by On Call/);
    expect(draft).toMatch(/- \d{2}:\d{2} – Service restored and verified/);
    expect(draft).toContain('Reported when rolling back: checkout errors.');
    expect(draft).toContain('- Choose the previous stable version: api: v2.0.0 → v1.0.0 (previous stable)');
    expect(draft).toContain('_To fill in: share of users affected, and how._');
    expect(postMortemDraft(await ledger.readAll(), 'rollback-unknown', 'Europe/Paris')).toBeUndefined();
  });

  it('abandoned at the question, changes nothing and says what is left', async () => {
    const { rollbacks, latest } = openService();
    const { rollbackId } = await rollbacks.start({ level: 1, service: 'api', environment: 'staging', to: '1.0.0' });
    await expect.poll(() => latest()?.awaiting?.stepId).toBe('redeploy');
    rollbacks.decide(rollbackId, 'abandon');
    await expect.poll(() => latest()?.status).toBe('abandoned');
    expect(service.version).toBe('2.0.0');
    expect(latest()!.leftToDo[0]).toContain('Stops the running version');
    expect(() => rollbacks.decide(rollbackId, 'continue')).toThrow(/already ended/);
  });

  it('after a failure, waits for retry; the retried step succeeds', async () => {
    const { rollbacks, latest } = openService();
    service.failDeploys = 1;
    const { rollbackId } = await rollbacks.start({ level: 1, service: 'api', environment: 'staging', to: '1.0.0' });
    await expect.poll(() => latest()?.awaiting?.kind).toBe('confirm');
    rollbacks.decide(rollbackId, 'continue');
    await expect.poll(() => latest()?.awaiting?.kind).toBe('retry');
    expect(latest()!.steps.find((step) => step.id === 'redeploy')!.state).toBe('failed');
    expect(() => rollbacks.decide(rollbackId, 'continue')).toThrow(/waits for "retry" or "abandon"/);
    rollbacks.decide(rollbackId, 'retry');
    await expect.poll(() => latest()?.status).toBe('succeeded');
    expect(service.version).toBe('1.0.0');
  });

  it('chooses the version offline, waits for the network before the redeploy, and goes on when it is back', async () => {
    let isOnline = false;
    const { rollbacks, latest } = openService({ isReachable: async () => isOnline });
    const { rollbackId } = await rollbacks.start({ level: 1, service: 'api', environment: 'staging', to: '1.0.0' });
    // Choosing reads the local ledger: it needs no network.
    await expect.poll(() => latest()?.awaiting?.stepId).toBe('redeploy');
    expect(latest()!.steps[0]!.state).toBe('succeeded');
    rollbacks.decide(rollbackId, 'continue');
    await expect.poll(() => latest()?.steps[1]?.state).toBe('waiting');
    expect(latest()!.steps[1]!.detail).toContain('Waiting for the network: 127.0.0.1:');
    isOnline = true;
    await expect.poll(() => latest()?.status).toBe('succeeded');
    expect(service.version).toBe('1.0.0');
  });

  it('abandoned while waiting for the network, stops there', async () => {
    const { rollbacks, latest } = openService({ isReachable: async () => false });
    const { rollbackId } = await rollbacks.start({ level: 1, service: 'api', environment: 'staging', to: '1.0.0' });
    await expect.poll(() => latest()?.awaiting?.stepId).toBe('redeploy');
    rollbacks.decide(rollbackId, 'continue');
    await expect.poll(() => latest()?.steps[1]?.state).toBe('waiting');
    expect(rollbacks.decide(rollbackId, 'abandon').detail).toContain('stops before its next step');
    await expect.poll(() => latest()?.status).toBe('abandoned');
    expect(service.version).toBe('2.0.0');
  });

  it('refuses a second rollback of the same service, an unknown id and a level 3 without confirmation', async () => {
    const { rollbacks, latest } = openService();
    await expect(
      rollbacks.start({ level: 3, service: 'api', environment: 'staging', backup: 'b1', confirmation: 'prod' }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    const { rollbackId } = await rollbacks.start({ level: 1, service: 'api', environment: 'staging', to: '1.0.0' });
    await expect(
      rollbacks.start({ level: 1, service: 'api', environment: 'staging', to: '1.0.0' }),
    ).rejects.toMatchObject({ code: 'LOCKED' });
    expect(() => rollbacks.decide('rollback-unknown', 'abandon')).toThrow(/no rollback/);
    await expect.poll(() => latest()?.awaiting?.stepId).toBe('redeploy');
    rollbacks.decide(rollbackId, 'abandon');
    await expect.poll(() => latest()?.status).toBe('abandoned');
  });

  it('triage gives each level its runbook, and says why a level is not available', async () => {
    const { rollbacks } = openService();
    const triage = await rollbacks.triage('api', 'staging', 'data-corruption');
    expect(triage.recommendedLevel).toBe(3);
    const [one, two, three] = triage.levels;
    expect(one!.runbook.map((step) => step.id)).toEqual(['choose', 'redeploy', 'verify']);
    expect(one!.runbook[1]).toMatchObject({ needsNetwork: true, changesSomething: true });
    expect(two).toMatchObject({ isAvailable: false, runbook: [] });
    expect(two!.note).toContain('has no repository (repo.url or repo.path)');
    expect(three!.isAvailable).toBe(false);
    expect(three!.note).toContain('declares a database');
    expect(await rollbacks.choices('api', 'staging', 3)).toMatchObject({
      problem: expect.stringContaining('database'),
    });
  });
});
