/**
 * `cockpit platform import coolify` against the Coolify stand-in (built from Coolify's published
 * API description): two projects, two environments, seven applications named with staging and
 * production variants. The written file validates and deploys each application by its uuid; bad
 * answers write nothing.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformFile } from '../../src/main/core/platform/load';
import { runCockpit } from '../helpers/cockpit-cli';
import { startCoolifyStandIn, type CoolifyStandIn } from '../stand-ins/coolify-stand-in';

let coolify: CoolifyStandIn;
const env = () => ({ ...process.env, COOLIFY_TOKEN: coolify.token });

/** The seven services of the platform, each named differently in Coolify per environment. */
const applications: { service: string; staging: string; production: string; repo: 'full' | 'short' | 'none' }[] = [
  { service: 'db-service', staging: 'staging-db-service', production: 'db-service', repo: 'full' },
  { service: 'auth-service', staging: 'auth-service-staging', production: 'auth-service-production', repo: 'full' },
  { service: 'notify-service', staging: 'stg-notify-service', production: 'prod-notify-service', repo: 'short' },
  { service: 'payment-service', staging: 'payment-service-stage', production: 'payment-service-prod', repo: 'full' },
  { service: 'ai-service', staging: 'Staging AI Service', production: 'AI Service', repo: 'full' },
  {
    service: 'monitoring-service',
    staging: 'staging-monitoring-service',
    production: 'monitoring-service',
    repo: 'none',
  },
  { service: 'frontend', staging: 'frontend-staging', production: 'frontend', repo: 'full' },
];

beforeAll(async () => {
  coolify = await startCoolifyStandIn();
  coolify.projects = [
    {
      uuid: 'p-penpal',
      name: 'Penpal AI',
      environments: [
        { id: 11, name: 'staging' },
        { id: 12, name: 'production' },
      ],
    },
    { uuid: 'p-blog', name: 'Blog', environments: [{ id: 21, name: 'production' }] },
  ];
  coolify.listed = [
    ...applications.flatMap((app) =>
      (['staging', 'production'] as const).map((environment) => ({
        uuid: `${environment}-${app.service}-uuid`,
        name: app[environment],
        environment_id: environment === 'staging' ? 11 : 12,
        // Several domains, the first one is the service's.
        fqdn:
          environment === 'staging'
            ? `https://staging.${app.service}.penpal.example,https://${app.service}-stg.penpal.example`
            : `https://${app.service}.penpal.example`,
        health_check_path: app.service === 'frontend' ? '/healthz' : '/api/v1/health',
        git_full_url: app.repo === 'full' ? `https://github.com/penpal/${app.service}.git` : null,
        git_repository: app.repo === 'short' ? `penpal/${app.service}` : null,
        docker_registry_image_name: `ghcr.io/penpal/${app.service}`,
      })),
    ),
    { uuid: 'blog-uuid', name: 'blog', environment_id: 21, fqdn: 'https://blog.example', health_check_path: '/' },
  ];
});

afterAll(async () => {
  await coolify?.close();
});

const importArgs = (out: string, ...extra: string[]) => [
  'platform',
  'import',
  'coolify',
  '--api-url',
  coolify.apiUrl,
  '--token-env',
  'COOLIFY_TOKEN',
  '--out',
  out,
  ...extra,
];

const outFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-import-')), 'penpal.yaml');

describe('cockpit platform import coolify', () => {
  it('with several projects and no --project, exits 2 listing them and writes nothing', async () => {
    const out = outFile();
    const result = await runCockpit(importArgs(out), env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Coolify has 2 projects: choose one with --project <name or uuid>');
    expect(result.stderr).toContain('"Penpal AI" (p-penpal), "Blog" (p-blog)');
    expect(existsSync(out)).toBe(false);
  });

  it('writes a platform file that validates: 7 services × 2 environments, each with its uuid and URL', async () => {
    const out = outFile();
    const result = await runCockpit(importArgs(out, '--project', 'Penpal AI'), env());
    expect(result.stderr).not.toContain('cockpit platform import:');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('7 services × 2 environments from the Coolify project "Penpal AI"');
    expect((await runCockpit(['validate', out])).code).toBe(0);
    const loaded = await loadPlatformFile(out);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const { platform } = loaded;
    expect(platform.environments.map((environment) => [environment.id, environment.protected])).toEqual([
      ['staging', false],
      ['production', true],
    ]);
    expect(platform.services.map((service) => service.id).sort()).toEqual(
      applications.map((app) => app.service).sort(),
    );
    for (const app of applications) {
      const service = platform.services.find((candidate) => candidate.id === app.service)!;
      for (const environment of ['staging', 'production'] as const) {
        const config = service.environments[environment]!;
        expect(config.deploy).toEqual({
          provider: 'coolify',
          apiUrl: coolify.apiUrl,
          applicationUuid: `${environment}-${app.service}-uuid`,
          tokenCredential: 'coolify-api-token',
        });
        expect(config.url).toBe(
          environment === 'staging'
            ? `https://staging.${app.service}.penpal.example`
            : `https://${app.service}.penpal.example`,
        );
        expect(config.healthPath).toBe(app.service === 'frontend' ? '/healthz' : '/api/v1/health');
      }
      expect(service.image).toBe(`ghcr.io/penpal/${app.service}`);
      if (app.repo !== 'none') expect(service.repo.url).toBe(`https://github.com/penpal/${app.service}.git`);
    }
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('# yaml-language-server: $schema=./platform.schema.json\n')).toBe(true);
    expect(existsSync(path.join(path.dirname(out), 'platform.schema.json'))).toBe(true);
    // What Coolify cannot say is flagged for a person to decide.
    expect(text).toContain('TODO: repo.url made from git_repository "penpal/notify-service" on GitHub: check the host');
    expect(text).toContain('TODO: Coolify names no git repository for this application');
    expect(text).toContain('TODO: what this service needs running first cannot be read from Coolify');
    expect(text).not.toContain(coolify.token);
    expect(coolify.violations).toEqual([]);
  });

  it.each([
    ['a refused token (401)', { token: 'wrong-token' }, /refused the token \(401\)/],
    [
      'a missing endpoint (404)',
      { answer: { status: 404, body: '{"message":"Not found."}' } },
      /was not found \(404\)/,
    ],
    ['a server error (500)', { answer: { status: 500, body: '{"message":"Server Error"}' } }, /answered 500/],
    [
      'a server that is not Coolify (HTML)',
      { answer: { status: 200, body: '<html>Welcome</html>', contentType: 'text/html' } },
      /is not JSON \(text\/html\).*does not look like Coolify's API/,
    ],
  ])('writes nothing on %s, and says what to fix', async (_label, fault, message) => {
    const out = outFile();
    if ('answer' in fault && fault.answer)
      coolify.answers.set('/projects', { contentType: 'application/json', ...fault.answer });
    const result = await runCockpit(importArgs(out, '--project', 'p-penpal'), {
      ...env(),
      ...('token' in fault ? { COOLIFY_TOKEN: fault.token } : {}),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.join(path.dirname(out), 'platform.schema.json'))).toBe(false);
  });

  it('never replaces an existing file without --force, and reads the token only from the environment', async () => {
    const out = outFile();
    expect((await runCockpit(importArgs(out, '--project', 'Blog'), env())).code).toBe(0);
    const before = readFileSync(out, 'utf8');
    const again = await runCockpit(importArgs(out, '--project', 'Penpal AI'), env());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; nothing was written');
    expect(readFileSync(out, 'utf8')).toBe(before);
    const noToken = await runCockpit(importArgs(outFile()), { ...process.env, COOLIFY_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('COOLIFY_TOKEN is not set');
    expect((await runCockpit(['platform', 'import', 'coolify', '--help'])).stdout).toContain('--token-env');
  });
});
