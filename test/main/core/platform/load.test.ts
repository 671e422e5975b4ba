import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformJsonSchema } from '../../../../src/main/core/platform/json-schema';
import { loadPlatformFile, parsePlatform } from '../../../../src/main/core/platform/load';
import { formatProblem } from '../../../../src/main/core/platform/problems';
import { validPlatformYaml, withChange } from './platform-builder';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const samplePath = path.join(repoRoot, 'resources', 'platforms', 'penpal-ai.yaml');

function problemsOf(text: string): string[] {
  const result = parsePlatform(text, 'shop.yaml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('a valid platform file', () => {
  it('loads with its defaults filled in', () => {
    const result = parsePlatform(validPlatformYaml, 'shop.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.platform.services.map((service) => service.id)).toEqual(['db', 'api']);
    expect(result.platform.services[0]!.environments.staging!.healthPath).toBe('/api/v1/health');
    expect(result.platform.policy.gates.coverageMinPercent).toBe(80);
    expect(result.platform.policy.rotationDays).toBe(90);
  });

  it('includes the Penpal AI sample: 7 services in the manual’s order, Coolify in both environments', async () => {
    const result = await loadPlatformFile(samplePath);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { platform } = result;
    expect(platform.services.map((service) => service.id)).toEqual([
      'db-service',
      'auth-service',
      'notify-service',
      'payment-service',
      'ai-service',
      'monitoring-service',
      'frontend',
    ]);
    expect(platform.environments.find((environment) => environment.id === 'production')?.protected).toBe(true);
    for (const service of platform.services) {
      expect(service.environments.staging?.deploy.provider).toBe('coolify');
      expect(service.environments.production?.deploy.provider).toBe('coolify');
      expect(service.environments.staging?.url).toMatch(/^https:\/\/staging\./);
    }
    expect(platform.policy.windows.production).toEqual([{ days: ['tue', 'wed', 'thu'], from: '14:00', to: '16:00' }]);
    expect(platform.policy.timeZone).toBe('Europe/Paris');
    expect(platform.credentials.find((credential) => credential.id === 'slack-releases-webhook')?.description).toBe(
      'Slack incoming webhook of the #releases channel',
    );
  });
});

describe('an invalid platform file', () => {
  it.each([
    [
      'YAML syntax',
      withChange('name: Shop', 'name: [Shop'),
      'shop.yaml:4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'a duplicated key',
      withChange('name: Shop', 'name: Shop\nname: Again'),
      'shop.yaml:4:1: duplicate key: each key may appear once in a mapping',
    ],
    ['a missing required field', withChange('name: Shop\n', ''), 'shop.yaml:1:1: name: missing required field "name"'],
    ['an unsupported version', withChange('version: 1', 'version: 2'), 'shop.yaml:1:10: version: expected 1, got 2'],
    [
      'an unknown field',
      withChange('name: Shop', 'name: Shop\nowner: ops'),
      'shop.yaml:4:1: owner: unknown field "owner"; expected one of: version, id, name, issueUrl, environments, services, credentials, secrets, policy, roster, comms, rollback, metrics, ci, ledger',
    ],
    [
      'a malformed id',
      withChange('  - id: db\n', '  - id: DB_Service\n').replace('dependsOn: [db]', 'dependsOn: []'),
      'shop.yaml:13:9: services[0].id: expected a lowercase id (letters, digits and dashes, starting with a letter), e.g. "auth-service"',
    ],
    [
      'a non-http URL',
      withChange('url: https://staging-db.example.com', 'url: ftp://staging-db.example.com'),
      'shop.yaml:19:14: services[db].environments.staging.url: expected an http(s) URL, e.g. "https://staging.example.com"',
    ],
    [
      'an unknown deploy provider',
      withChange(
        'provider: webhook\n          url: https://hooks.example.com/staging/db',
        'provider: kubernetes\n          url: https://hooks.example.com/staging/db',
      ),
      'shop.yaml:21:21: services[db].environments.staging.deploy.provider: expected provider to be one of "command", "coolify", "webhook"; got "kubernetes"',
    ],
    [
      'a missing deploy provider',
      withChange(
        'provider: webhook\n          url: https://hooks.example.com/staging/db',
        'url: https://hooks.example.com/staging/db',
      ),
      'shop.yaml:21:11: services[db].environments.staging.deploy.provider: missing required field "provider" (one of "command", "coolify", "webhook")',
    ],
    [
      'a command written as a shell string',
      withChange('command: [deploy, --env, staging]', 'command: "deploy --env staging"'),
      'shop.yaml:38:20: services[api].environments.staging.deploy.command: expected a list, got "deploy --env staging"',
    ],
    [
      'an unknown service in dependsOn',
      withChange('dependsOn: [db]', 'dependsOn: [db, cache]'),
      'shop.yaml:32:21: services[api].dependsOn[1]: unknown service "cache" in dependsOn; expected one of "db", "api"',
    ],
    [
      'a dependency cycle',
      withChange(
        '    environments:\n      staging:\n        url: https://staging-db.example.com',
        '    dependsOn: [api]\n    environments:\n      staging:\n        url: https://staging-db.example.com',
      ),
      'shop.yaml:33:17: services[api].dependsOn[0]: dependency cycle: db → api → db; a deploy order needs dependencies without cycles',
    ],
    [
      'a service depending on itself',
      withChange('dependsOn: [db]', 'dependsOn: [api]'),
      'shop.yaml:32:17: services[api].dependsOn[0]: service "api" cannot depend on itself',
    ],
    [
      'a duplicate service id',
      withChange('  - id: api\n', '  - id: db\n'),
      'shop.yaml:28:9: services[1].id: duplicate id "db": services[0] already uses it; ids must be unique',
    ],
    [
      'an undeclared environment',
      withChange(
        '      production:\n        url: https://api.example.com',
        '      prod:\n        url: https://api.example.com',
      ),
      'shop.yaml:39:7: services[api].environments.prod: unknown environment "prod"; expected one of "staging", "production"',
    ],
    [
      'staging pointing at a production URL',
      withChange('url: https://staging-api.example.com', 'url: https://api.example.com'),
      'shop.yaml:35:14: services[api].environments.staging.url: staging must not point at a production URL: api.example.com is api in production',
    ],
    [
      'staging using the production database (credentials in the URI do not hide it)',
      withChange(
        'url: https://staging-db.example.com\n',
        'url: https://staging-db.example.com\n        database: mongodb://user:pw@mongo-prod:27017/shop\n',
      ).replace(
        'url: https://db.example.com\n',
        'url: https://db.example.com\n        database: mongodb://mongo-prod:27017/shop\n',
      ),
      'shop.yaml:20:19: services[db].environments.staging.database: staging must not use a production database: mongodb://mongo-prod:27017/shop is db in production',
    ],
    [
      'a repo with neither path nor url',
      withChange('    repo:\n      path: ./api\n', '    repo: {}\n'),
      'shop.yaml:30:11: services[api].repo: expected a local "path", a remote "url", or both',
    ],
    [
      'a flag that is not a boolean',
      withChange('protected: true', 'protected: "yes"'),
      'shop.yaml:10:16: environments[production].protected: expected true or false, got "yes"',
    ],
    [
      'an unknown time zone',
      validPlatformYaml + 'policy:\n  timeZone: Mars/Olympus\n',
      'shop.yaml:45:13: policy.timeZone: expected an IANA time zone, e.g. "Europe/Paris"',
    ],
    [
      'a window time not in HH:MM',
      validPlatformYaml +
        'policy:\n  windows:\n    production:\n      - days: [tue]\n        from: "2pm"\n        to: "16:00"\n',
      'shop.yaml:48:15: policy.windows.production[0].from: expected a time as HH:MM, e.g. "14:00"',
    ],
    [
      'an undeclared credential',
      withChange(
        'provider: webhook\n          url: https://hooks.example.com/production/db',
        'provider: webhook\n          url: https://hooks.example.com/production/db\n          tokenCredential: hook-token',
      ),
      'shop.yaml:28:28: services[db].environments.production.deploy.tokenCredential: unknown credential "hook-token"; declare it under "credentials" with its kind (never its value)',
    ],
    [
      'a restore command written as a shell string',
      validPlatformYaml + 'rollback:\n  restoreCommand: "mongorestore --drop"\n',
      'shop.yaml:45:19: rollback.restoreCommand: expected a list, got "mongorestore --drop"',
    ],
    ['an empty file', '', 'shop.yaml:1:1: the file is empty; expected a platform description'],
    [
      'a ledger mirror file outside the repository',
      validPlatformYaml + 'ledger:\n  mirror:\n    repo: /srv/ledger.git\n    file: ../outside.jsonl\n',
      'shop.yaml:47:11: ledger.mirror.file: expected a path inside the repository: no "..", ".", empty part or leading "/"',
    ],
    [
      'a ledger mirror branch git would refuse',
      validPlatformYaml + 'ledger:\n  mirror:\n    repo: /srv/ledger.git\n    branch: ledger..x\n',
      'shop.yaml:47:13: ledger.mirror.branch: expected a branch name git accepts: no "..", no empty part or part starting or ending with ".", not ending in ".lock"',
    ],
    [
      'a shell script holding a placeholder',
      withChange(
        'provider: webhook\n          url: https://hooks.example.com/staging/db',
        'provider: command\n          command: [sh, -c, "deploy --version {version}"]',
      ),
      'shop.yaml:22:29: services[db].environments.staging.deploy.command[2]: a sh script must not hold {version}: it would be read as shell code. Pass it as its own argument after the script ("$1" inside it), or run the program directly',
    ],
  ])('reports %s with its position', (_label, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it('reports staging using a production credential, shared or declared for production', () => {
    const credentials =
      'credentials:\n  - id: stripe-live\n    kind: api-key\n    environment: production\n  - id: shared-key\n    kind: api-key\n';
    const text = withChange(
      'command: [deploy, --env, staging]',
      'command: [deploy, --env, staging]\n        credentials: [stripe-live, shared-key]',
    ).replace(
      'command: [deploy, --env, production]',
      'command: [deploy, --env, production]\n        credentials: [shared-key]',
    );
    expect(problemsOf(text + credentials)).toEqual([
      'shop.yaml:39:23: services[api].environments.staging.credentials[0]: staging must not use the production credential "stripe-live" (declared for Production); give staging its own',
      'shop.yaml:39:36: services[api].environments.staging.credentials[1]: staging must not use the production credential "shared-key" (used by api in production); give staging its own',
    ]);
  });

  it('names every member of a longer cycle', () => {
    // api → db (already), db → cache, cache → api.
    const text = validPlatformYaml;
    const threeWay = withChange(
      '  - id: db\n    name: Database API\n',
      '  - id: db\n    name: Database API\n    dependsOn: [cache]\n',
      text,
    ).replace(
      'services:\n',
      'services:\n  - id: cache\n    name: Cache\n    repo: { url: https://git.example.com/cache.git }\n    dependsOn: [api]\n    environments: {}\n',
    );
    const problems = problemsOf(threeWay);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /dependency cycle: (cache → api → db → cache|api → db → cache → api|db → cache → api → db)/,
    );
  });

  it('reports every problem of a file at once, in file order', () => {
    const text = withChange('version: 1', 'version: 3').replace('protected: true', 'protected: 1');
    expect(problemsOf(text).map((line) => line.split(': ')[0])).toEqual(['shop.yaml:1:10', 'shop.yaml:10:16']);
  });

  it('says when the file is missing or is a folder', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-platform-'));
    const missing = await loadPlatformFile(path.join(folder, 'nope.yaml'));
    expect(missing.ok ? [] : missing.problems.map(formatProblem)).toEqual([
      `${path.join(folder, 'nope.yaml')}:1:1: file not found: check the path`,
    ]);
    const isFolder = await loadPlatformFile(folder);
    expect(isFolder.ok ? [] : isFolder.problems[0]!.message).toBe('this is a folder; expected a YAML platform file');
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 8; level++) {
      bomb.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(', ')}]`,
      );
    }
    const result = parsePlatform(bomb.join('\n'), 'bomb.yaml');
    expect(result.ok).toBe(false);
  });

  it('reads a file from disk with the same messages', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-platform-'));
    const file = path.join(folder, 'shop.yaml');
    writeFileSync(file, withChange('version: 1', 'version: 2'));
    const result = await loadPlatformFile(file);
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([`${file}:1:10: version: expected 1, got 2`]);
  });
});

describe('the JSON Schema for editors', () => {
  it('is committed in resources/ and matches the zod schema', () => {
    const committed = readFileSync(path.join(repoRoot, 'resources', 'platform.schema.json'), 'utf8');
    expect(committed, 'run `npm run schema` to regenerate it').toBe(platformJsonSchema());
  });

  it('describes the top-level fields and requires the essentials', () => {
    const schema = JSON.parse(platformJsonSchema());
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['environments', 'services', 'credentials', 'policy']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['version', 'id', 'name', 'environments', 'services']));
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('the roster', () => {
  it('refuses a person with a role the roster does not define, with its position', () => {
    const text = validPlatformYaml.replace(
      /\ncomms:|$/,
      '\nroster:\n  people:\n    - { name: Ana, roles: [release-manager, wizard] }\n',
    );
    const result = parsePlatform(text, 'shop.yaml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'roster.people[0].roles[1]: unknown role "wizard"; expected one of release-manager, tech-lead, devops, qa',
    ]);
  });
});
