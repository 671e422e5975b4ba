/**
 * What the CLI prints from files and services never drives the terminal: no window title, no
 * clipboard write, no hyperlink, no cursor movement — and a name must fit on one line.
 */

/* eslint-disable no-control-regex -- these tests look for control characters on purpose */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';

let server: Server;
let url: string;
const hostileVersion = '1.0.0\u001b]0;pwned\u0007\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u001b[3A';

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ok', version: hostileVersion }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function platformFile(name: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-terminal-safety-')), 'platform.yaml');
  writeFileSync(
    file,
    `version: 1
id: safety
name: ${JSON.stringify(name)}
environments:
  - { id: staging, name: Staging, branch: develop }
services:
  - id: api
    name: API
    repo: { url: https://git.example.com/api.git }
    environments:
      staging: { url: "${url}", deploy: { provider: command, command: ["true"] } }
`,
  );
  return file;
}

describe('the CLI and text from outside', () => {
  it('prints a service’s reported version without any of its control sequences', async () => {
    const result = await runCockpit(['status', '--platform', platformFile('Safety')], {
      ...process.env,
      COCKPIT_DATA_DIR: temporaryDataDir(),
    });
    expect(result.stdout).toContain('1.0.0');
    expect(result.stdout + result.stderr).not.toMatch(/\u001b\]|\u001b\[2J|\u001b\[3A|\u0007/);
  });

  it.each([
    ['a line break', 'Penpal\nAI'],
    ['an escape sequence', 'Penpal\u001b]0;pwned\u0007'],
    ['a right-to-left override', 'Penpal\u202eIA'],
  ])('refuses a platform name with %s, saying where', async (_label, name) => {
    const file = platformFile(name);
    const result = await runCockpit(['validate', file], { ...process.env, COCKPIT_DATA_DIR: temporaryDataDir() });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain(`${file}:3:7: name: expected text on one line`);
  });
});
