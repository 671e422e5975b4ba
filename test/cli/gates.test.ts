import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';
import { startProbeServer, type ProbeServer } from '../main/core/health/probe-servers';

const servers: ProbeServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function platformFile(behaviour: 'healthy' | 'error-500') {
  const server = await startProbeServer('1.0.0', behaviour);
  servers.push(server);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-gates-cli-')), 'platform.yaml');
  writeFileSync(
    file,
    `version: 1
id: gates-cli
name: Gates CLI
environments:
  - { id: production, name: Production, protected: true, branch: main }
services:
  - id: api
    name: API
    repo: { url: https://git.example.com/api.git }
    environments:
      production: { url: "${server.url}", deploy: { provider: command, command: [deploy] } }
`,
  );
  return file;
}

const env = () => ({ ...process.env, COCKPIT_DATA_DIR: temporaryDataDir() });

describe('cockpit gates', () => {
  it('prints each gate with its evidence and exits 0 when none blocks', async () => {
    const result = await runCockpit(['gates', 'production', '--platform', await platformFile('healthy')], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      'Gates for a deploy to production (0 services would change):\n  PASS  Health of production — all 1 services up\n',
    );
  });

  it('exits 1 when a gate blocks; --json gives { gates: [{ id, title, verdict, evidence }] }', async () => {
    const result = await runCockpit(
      ['gates', 'production', '--platform', await platformFile('error-500'), '--json'],
      env(),
    );
    expect(result.code).toBe(1);
    const { gates } = JSON.parse(result.stdout) as { gates: { id: string; verdict: string }[] };
    expect(gates).toEqual([
      { id: 'health:production', title: 'Health of production', verdict: 'block', evidence: 'api down' },
    ]);
  });
});
