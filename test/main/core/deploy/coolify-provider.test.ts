import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeployJournal } from '../../../../src/main/core/deploy/journal';
import { runDeploy, type DeployRunOptions } from '../../../../src/main/core/deploy/orchestrator';
import { planDeploy } from '../../../../src/main/core/deploy/plan';
import { createProviderFactory } from '../../../../src/main/core/deploy/provider-factory';
import { HealthProber, isLoopbackHost } from '../../../../src/main/core/health/prober';
import { prepareRollback } from '../../../../src/main/core/rollback/rollback-plan';
import { walk } from '../../../../src/main/core/rollback/step-machine';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { stagingPlatform } from '../../../helpers/staging-platform';
import {
  coolifyDescription,
  startCoolifyStandIn,
  type CoolifyStandIn,
  type DeployFault,
} from '../../../stand-ins/coolify-stand-in';
import { OpenApiContract } from '../../../stand-ins/openapi-contract';
import { startProbeServer, type ProbeServer } from '../health/probe-servers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stand-in Coolify with two applications whose health servers switch version when a deployment finishes. */
async function coolifySetup(options: { pin?: boolean } = {}) {
  const coolify = await startCoolifyStandIn();
  const api = await startProbeServer('1.0.0');
  const web = await startProbeServer('1.0.0');
  cleanups.push(
    () => coolify.close(),
    () => api.close(),
    () => web.close(),
  );
  const servers: Record<string, ProbeServer> = { 'app-api': api, 'app-web': web };
  coolify.addApplication('app-api');
  coolify.addApplication('app-web');
  coolify.onFinished = (deployment) => {
    servers[deployment.application_uuid]!.version = deployment.fields.docker_registry_image_tag ?? '1.1.0';
  };
  const pin = options.pin ? `, pin: { field: docker_registry_image_tag, value: "{version}" }` : '';
  const deploy = (uuid: string) =>
    `{ provider: coolify, apiUrl: "${coolify.apiUrl}", applicationUuid: ${uuid}, tokenCredential: coolify-token${pin} }`;
  const platform = stagingPlatform(
    'coolify-test',
    [
      { id: 'api', url: api.url, deploy: deploy('app-api') },
      { id: 'web', url: web.url, deploy: deploy('app-web'), dependsOn: ['api'] },
    ],
    'credentials:\n  - { id: coolify-token, kind: api-token }\n',
  );
  const prober = new HealthProber({ timeoutMs: 1_000, isHostAllowed: isLoopbackHost });
  cleanups.push(() => prober.close());
  const dataDir = temporaryDataDir();
  const logs: string[] = [];
  const providers = createProviderFactory({
    readCredential: async (id) => (id === 'coolify-token' ? coolify.token : undefined),
    isHostAllowed: isLoopbackHost,
    pollIntervalMs: 20,
  });
  const run = (overrides: Partial<DeployRunOptions> & { runId?: string; token?: string } = {}) => {
    const runId = overrides.runId ?? 'run-1';
    return runDeploy({
      platform: platform,
      plan: planDeploy({
        platform: platform,
        environment: 'staging',
        targets: { api: '1.1.0', web: '1.1.0' },
        running: { api: '1.0.0', web: '1.0.0' },
      }),
      runId,
      journal: new DeployJournal(path.join(dataDir, `${runId}.jsonl`)),
      lockFolder: path.join(dataDir, 'locks'),
      prober,
      log: (service, text) => logs.push(`[${service}] ${text}`),
      providers: createProviderFactory({
        readCredential: async (id) => (id === 'coolify-token' ? (overrides.token ?? coolify.token) : undefined),
        isHostAllowed: isLoopbackHost,
        pollIntervalMs: 20,
      }),
      pollIntervalMs: 20,
      stepTimeoutMs: 3_000,
      ...overrides,
    });
  };
  return { coolify, api, web, run, logs, dataDir, platform, prober, providers };
}

/** The journal of a run that died after writing api's intent (with an empty snapshot). */
async function journalInterruptedAtIntent(dataDir: string, runId: string) {
  const journal = new DeployJournal(path.join(dataDir, `${runId}.jsonl`));
  const at = new Date().toISOString();
  const step = (service: string) => ({ service, version: '1.1.0', action: 'deploy' });
  await journal.append({
    kind: 'run-started',
    runId,
    environment: 'staging',
    waves: [[step('api')], [step('web')]],
    at,
  });
  await journal.append({ kind: 'step-intent', service: 'api', version: '1.1.0', snapshot: [], at });
  return journal;
}

function expectNoViolations(coolify: CoolifyStandIn) {
  expect(coolify.violations).toEqual([]);
  expect(coolify.requests.length).toBeGreaterThan(0);
}

describe('the Coolify provider against a stand-in checked against Coolify’s published API', () => {
  it('deploys in dependency order, follows each deployment to its end, streams its logs and verifies the version', async () => {
    const { coolify, api, web, run, logs } = await coolifySetup({ pin: true });
    const result = await run();
    expect(result.status).toBe('succeeded');
    expect([api.version, web.version]).toEqual(['1.1.0', '1.1.0']);
    expect(coolify.triggersOf('app-api')).toBe(1);
    expect(coolify.triggersOf('app-web')).toBe(1);
    const triggers = coolify.requests.filter((request) => request.url.startsWith('/api/v1/deploy?'));
    expect(triggers.map((request) => request.url)).toEqual([
      '/api/v1/deploy?uuid=app-api&force=false',
      '/api/v1/deploy?uuid=app-web&force=false',
    ]);
    const pins = coolify.requests.filter((request) => request.method === 'PATCH');
    expect(pins.map((request) => JSON.parse(request.body))).toEqual([
      { docker_registry_image_tag: '1.1.0' },
      { docker_registry_image_tag: '1.1.0' },
    ]);
    expect(logs.join('')).toContain('[api] Healthcheck passed.\n');
    expect(logs.join('')).toMatch(/\[web\] Coolify started deployment \w+/);
    expectNoViolations(coolify);
  });

  it('fails the step with Coolify’s verdict when the deployment fails, and starts nothing after it', async () => {
    const { coolify, run } = await coolifySetup();
    coolify.applications.get('app-api')!.outcome = 'failed';
    const result = await run();
    expect(result.status).toBe('failed');
    expect(result.steps.find((step) => step.service === 'api')?.detail).toMatch(/Coolify deployment \w+ ended failed/);
    expect(result.steps.find((step) => step.service === 'web')?.status).toBe('not-started');
    expect(coolify.triggersOf('app-web')).toBe(0);
    expectNoViolations(coolify);
  });

  it('says which credential to fix when Coolify refuses the token, and triggers nothing', async () => {
    const { coolify, run } = await coolifySetup();
    const result = await run({ token: 'wrong-token' });
    expect(result.status).toBe('failed');
    expect(result.steps[0]?.detail).toContain(
      'Coolify refused the token (401: Unauthenticated.): check the credential "coolify-token"',
    );
    expect(coolify.deployments).toHaveLength(0);
    expectNoViolations(coolify);
  });

  it('cancels the running Coolify deployment when the user cancels', async () => {
    const { coolify, run } = await coolifySetup();
    coolify.applications.get('app-api')!.durationMs = 5_000;
    const controller = new AbortController();
    const running = run({ signal: controller.signal });
    await expect.poll(() => coolify.deployments.length).toBe(1);
    controller.abort();
    const result = await running;
    expect(result.status).toBe('failed');
    expect(coolify.deployments[0]?.status).toBe('cancelled-by-user');
    expect(coolify.requests.some((request) => request.url.endsWith('/cancel'))).toBe(true);
    expectNoViolations(coolify);
  });

  const ambiguous: { fault: DeployFault; retried: boolean }[] = [
    { fault: 'drop-after-commit', retried: false },
    { fault: '502-after-commit', retried: false },
    { fault: 'stall-after-commit', retried: false },
    { fault: 'reset-before-commit', retried: true },
    { fault: '502-before-commit', retried: true },
  ];
  for (const { fault, retried } of ambiguous) {
    it(`after an ambiguous answer (${fault}) reads Coolify's deployments before any retry: exactly one deployment`, async () => {
      const { coolify, run, api } = await coolifySetup();
      coolify.faults.push(fault);
      const result = await run({
        providers: createProviderFactory({
          readCredential: async () => coolify.token,
          isHostAllowed: isLoopbackHost,
          pollIntervalMs: 20,
          requestTimeoutMs: 500,
        }),
      });
      expect(result.status, JSON.stringify(result.steps)).toBe('succeeded');
      expect(api.version).toBe('1.1.0');
      expect(coolify.triggersOf('app-api')).toBe(1);
      const apiRequests = coolify.requests
        .filter((request) => request.url.includes('app-api'))
        .map((request) => `${request.method} ${request.url.replace(/\?.*/, '')}`);
      const posts = apiRequests.flatMap((request, index) => (request === 'POST /api/v1/deploy' ? [index] : []));
      expect(posts).toHaveLength(retried ? 2 : 1);
      // A reconciling read sits between the first trigger and anything after it.
      expect(apiRequests[posts[0]! + 1]).toBe('GET /api/v1/deployments/applications/app-api');
      expectNoViolations(coolify);
    });
  }

  it('resumes an interrupted run: adopts the deployment started before the crash instead of triggering again', async () => {
    const { coolify, run, dataDir } = await coolifySetup();
    // The crash came after Coolify created the deployment but before the journal heard of it.
    const journal = await journalInterruptedAtIntent(dataDir, 'run-crash');
    const response = await fetch(`${coolify.apiUrl}/deploy?uuid=app-api`, {
      method: 'POST',
      headers: { authorization: `Bearer ${coolify.token}` },
    });
    expect(response.status).toBe(200);
    const result = await run({ runId: 'run-crash', resume: true });
    expect(result.status).toBe('succeeded');
    expect(coolify.triggersOf('app-api')).toBe(1);
    expect(coolify.triggersOf('app-web')).toBe(1);
    const entries = await journal.read();
    expect(entries.find((entry) => entry.kind === 'step-triggered' && entry.service === 'api')).toMatchObject({
      ref: coolify.deployments[0]!.deployment_uuid,
    });
  });

  it('resumes an interrupted run whose trigger never reached Coolify: triggers it once', async () => {
    const { coolify, run, dataDir } = await coolifySetup();
    await journalInterruptedAtIntent(dataDir, 'run-early');
    const result = await run({ runId: 'run-early', resume: true });
    expect(result.status).toBe('succeeded');
    expect(coolify.triggersOf('app-api')).toBe(1);
    expectNoViolations(coolify);
  });
});

describe('rolling back with Coolify (levels 1 and 3)', () => {
  /** A level 1 rollback of api to 1.0.0 after it was deployed to 1.1.0, walked to its end. */
  async function rollBack(images: { tag: string; created_at: string }[]) {
    const setup = await coolifySetup({ pin: true });
    setup.coolify.applications.get('app-api')!.images = images;
    expect((await setup.run()).status).toBe('succeeded');
    const prepared = prepareRollback(
      { level: 1, service: 'api', environment: 'staging', to: '1.0.0' },
      {
        platform: setup.platform,
        prober: setup.prober,
        records: [],
        dataDir: setup.dataDir,
        providers: setup.providers,
        runId: 'rollback-1',
        identity: { name: 'On Call' },
      },
    );
    const output: string[] = [];
    const result = await walk({
      level: 1,
      service: 'api',
      environment: 'staging',
      steps: prepared.steps,
      context: prepared.context,
      correlationId: 'rollback-1',
      log: (text) => output.push(text),
    });
    return { ...setup, result, output: output.join('') };
  }

  it('redeploys the image Coolify keeps through POST /applications/{uuid}/rollback, and verifies it', async () => {
    const { coolify, api, result, output } = await rollBack([
      { tag: '1.0.0', created_at: '2026-11-20T10:00:00Z' },
      { tag: '1.1.0', created_at: '2026-11-30T10:00:00Z' },
    ]);
    expect(result.status, JSON.stringify(result.steps)).toBe('succeeded');
    // Looked up by the redeploy, the step that needs the network (choosing works offline).
    expect(output).toContain('The provider keeps the image 1.0.0 from 2026-11-20T10:00:00Z');
    const rollbacks = coolify.requests.filter((request) => request.url.endsWith('/applications/app-api/rollback'));
    expect(rollbacks.map((request) => JSON.parse(request.body))).toEqual([{ commit: '1.0.0' }]);
    expect(coolify.triggersOf('app-api')).toBe(2); // the deploy, then the rollback: nothing twice
    expect(api.version).toBe('1.0.0');
    expect(coolify.violations).toEqual([]);
  });

  it('deploys the version again when Coolify keeps no image of it', async () => {
    const { coolify, api, result } = await rollBack([]);
    expect(result.status).toBe('succeeded');
    expect(coolify.requests.some((request) => request.url.endsWith('/rollback'))).toBe(false);
    expect(coolify.requests.filter((request) => request.url.startsWith('/api/v1/deploy?'))).toHaveLength(3);
    expect(api.version).toBe('1.0.0');
    expect(coolify.violations).toEqual([]);
  });

  it('stops and starts an application (a level 3 takes services down and back)', async () => {
    const { coolify, platform, providers } = await coolifySetup();
    const provider = providers(platform.services[0]!.environments.staging!.deploy);
    const io = { log: () => undefined, signal: new AbortController().signal };
    expect(await provider.stop!({ service: 'api', environment: 'staging' }, io)).toMatchObject({ ok: true });
    expect(coolify.applications.get('app-api')!.isRunning).toBe(false);
    expect(await provider.start!({ service: 'api', environment: 'staging' }, io)).toMatchObject({ ok: true });
    expect(coolify.applications.get('app-api')!.isRunning).toBe(true);
    expect(coolify.violations).toEqual([]);
  });
});

describe('the contract check itself', () => {
  const contract = new OpenApiContract(coolifyDescription);

  it('accepts what the published API declares', () => {
    expect(
      contract.checkRequest({
        method: 'POST',
        url: '/api/v1/deploy?uuid=abc&force=false',
        headers: { authorization: 'Bearer t' },
      }),
    ).toEqual([]);
    expect(
      contract.checkResponse(
        'GET',
        '/api/v1/deployments/abc',
        200,
        JSON.stringify({ deployment_uuid: 'abc', status: 'finished' }),
      ),
    ).toEqual([]);
  });

  it('catches what strays from it: unknown operations and parameters, missing token, wrong types and statuses', () => {
    expect(contract.checkRequest({ method: 'POST', url: '/api/v1/deployments/abc/restart', headers: {} })).toEqual([
      'POST /api/v1/deployments/abc/restart is not an operation of the API',
    ]);
    expect(
      contract.checkRequest({
        method: 'POST',
        url: '/api/v1/deploy?uuid=a&version=1',
        headers: { authorization: 'Bearer t' },
      }),
    ).toEqual(['query parameter "version" is not declared']);
    expect(contract.checkRequest({ method: 'POST', url: '/api/v1/deploy?force=yes', headers: {} })).toEqual([
      'query parameter "force": data must be boolean',
      'the Authorization: Bearer <token> header is missing',
    ]);
    expect(
      contract.checkRequest({
        method: 'GET',
        url: '/api/v1/deployments/applications/a?take=0',
        headers: { authorization: 'Bearer t' },
      }),
    ).toEqual(['query parameter "take": data must be >= 1']);
    expect(
      contract.checkRequest({
        method: 'PATCH',
        url: '/api/v1/applications/a',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: JSON.stringify({ docker_registry_image_tag: 3 }),
      }),
    ).toEqual(['body: data/docker_registry_image_tag must be string']);
    expect(contract.checkResponse('GET', '/api/v1/deployments/abc', 200, JSON.stringify({ status: 7 }))).toEqual([
      '200 body: data/status must be string',
    ]);
    expect(contract.checkResponse('POST', '/api/v1/deploy', 404, '{}')).toEqual([
      'status 404 is not declared for POST /api/v1/deploy',
    ]);
  });

  it('is a faithful copy of the published description beside the repository', () => {
    const published = path.resolve(import.meta.dirname, '../../../../../shared/specs/coolify-openapi.yaml');
    if (!existsSync(published)) return;
    expect(readFileSync(coolifyDescription, 'utf8')).toBe(readFileSync(published, 'utf8'));
  });
});
