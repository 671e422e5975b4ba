/**
 * The app as it is shipped: `out/` (with the bundled CLI), `bin/`, `resources/` and only the
 * production dependencies (`npm ci --omit=dev`, from npm's cache: no network), in a folder with no
 * `src/` and no `tsx`. From there plain Node runs the CLI, and the demo's own deploy commands — child
 * processes of the copied app — deploy staging.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cockpit-cli';

const run = promisify(execFile);
const app = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-packaged-')), 'release-cockpit');
const demo = path.join(path.dirname(app), 'demo');
const env = {
  ...process.env,
  COCKPIT_PROMETHEUS_BIN: '/nonexistent/prometheus',
  COCKPIT_DATA_DIR: path.join(path.dirname(app), 'data'),
};

/** Runs the copied app's CLI with plain Node; resolves with the exit code and output. */
function cockpit(...args: string[]) {
  return run(process.execPath, [path.join(app, 'bin', 'cockpit.js'), ...args], {
    cwd: os.tmpdir(),
    env,
    timeout: 180_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

beforeAll(async () => {
  for (const part of ['out', 'bin', 'resources', 'package.json', 'package-lock.json'])
    cpSync(path.join(repoRoot, part), path.join(app, part), { recursive: true });
  // Production dependencies only, from npm's cache (the suite's own `npm ci` filled it).
  await run('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: app,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    timeout: 300_000,
  });
}, 360_000);

afterAll(async () => {
  if (existsSync(demo)) await cockpit('demo', 'down', '--dir', demo, '--purge');
}, 60_000);

describe('the shipped app, without src/ or dev dependencies', () => {
  it('has neither src/ nor tsx, nor any dev dependency', () => {
    expect(existsSync(path.join(app, 'src'))).toBe(false);
    const installed = readdirSync(path.join(app, 'node_modules'));
    for (const dev of ['tsx', 'vitest', 'typescript', 'electron', 'esbuild', 'electron-builder'])
      expect(installed, dev).not.toContain(dev);
    expect(existsSync(path.join(app, 'out', 'cli', 'cockpit.mjs'))).toBe(true);
  });

  it('runs --version and validate with plain Node', async () => {
    const version = await cockpit('--version');
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const valid = await cockpit('validate', path.join(app, 'resources', 'platforms', 'penpal-ai.yaml'));
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toContain('Penpal AI is valid');
  });

  it('brings the demo up, deploys staging through the demo’s own commands, and takes it down', async () => {
    const up = await cockpit('demo', 'up', '--dir', demo);
    expect(up.code, up.stderr).toBe(0);
    const platformFile = path.join(demo, 'platform.yaml');
    const deploy = await cockpit('deploy', 'staging', '--platform', platformFile, '--yes');
    expect(deploy.code, `${deploy.stdout}\n${deploy.stderr}`).toBe(0);
    expect(deploy.stdout).toContain('Deploy to staging succeeded.');
    // The deploy commands the demo wrote run the copied app's CLI, not the checkout's.
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(platformFile, 'utf8');
    expect(text).toContain(path.join(app, 'bin', 'cockpit.js'));
    expect(text).not.toContain(path.join(repoRoot, 'bin'));
    const down = await cockpit('demo', 'down', '--dir', demo, '--purge');
    expect(down.code, down.stderr).toBe(0);
  }, 240_000);
});
