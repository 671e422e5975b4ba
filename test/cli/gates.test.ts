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
  it('prints each gate with its evidence, the staging sign-offs included, and exits 1 while one blocks', async () => {
    const result = await runCockpit(['gates', 'production', '--platform', await platformFile('healthy')], env());
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Gates for a deploy to production (0 services would change):',
      '  PASS    Health of production — all 1 services up',
    ]);
    // Nobody signed the acceptance checklist yet: the production deploy would be stopped.
    expect(lines[2]).toMatch(
      /^ {2}BLOCK {3}Staging sign-offs for \d{4}-\d{2}-\d{2} — not signed: Authentication works, AI chat works/,
    );
    expect(result.code).toBe(1);
  });

  it('exits 1 when a gate blocks; --json gives { gates: [{ id, title, verdict, evidence }] }', async () => {
    const result = await runCockpit(
      ['gates', 'production', '--platform', await platformFile('error-500'), '--json'],
      env(),
    );
    expect(result.code).toBe(1);
    const { gates } = JSON.parse(result.stdout) as { gates: { id: string; verdict: string }[] };
    expect(gates[0]).toEqual({
      id: 'health:production',
      title: 'Health of production',
      verdict: 'block',
      evidence: 'api down',
    });
    expect(gates.map((gate) => gate.id)).toEqual(['health:production', expect.stringMatching(/^signoff:/)]);
  });
});
