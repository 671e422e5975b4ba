/**
 * What can be checked here of the installers CI builds elsewhere: electron-builder runs and accepts
 * our configuration (its own schema check), the fuses are set as a packaged app needs, the
 * workflows build on the three systems from a tag, and `npm start` without Electron's binary says
 * what to do instead of printing a stack trace.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cockpit-cli';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const readYaml = (file: string) => parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, unknown>;

describe('electron-builder', () => {
  it('runs, and accepts electron-builder.yml by its own schema check', async () => {
    const help = await run(process.execPath, [require.resolve('electron-builder/cli.js'), '--help'], { cwd: repoRoot });
    expect(help.stdout).toContain('--linux');
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: { isEnabled: boolean }) => Promise<void>;
    };
    const config = readYaml('electron-builder.yml');
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
    // The check is real: a misspelt option is refused.
    await expect(validateConfiguration({ ...config, linx: {} }, { isEnabled: false })).rejects.toThrow(/linx/);
  });

  it('targets AppImage and deb, dmg for both Macs, NSIS, with the fuses of a packaged app', () => {
    const config = readYaml('electron-builder.yml') as {
      appId: string;
      productName: string;
      linux: { target: string[] };
      mac: { target: { target: string; arch: string[] }[] };
      win: { target: { target: string }[] };
      asarUnpack: string[];
      electronFuses: Record<string, boolean>;
      icon: string;
    };
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('Release Cockpit');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }]);
    expect(config.win.target.map((target) => target.target)).toEqual(['nsis']);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.icon).toBe('resources/icon.png');
    expect(config.electronFuses).toMatchObject({
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      // The demo's deploy commands and the bundled CLI run as Node through the app's binary.
      runAsNode: true,
    });
    const icon = readFileSync(path.join(repoRoot, 'resources', 'icon.png'));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // electron-builder needs 512 px or more
  });
});

describe('the workflows', () => {
  type Workflow = {
    on: Record<string, unknown>;
    jobs: Record<
      string,
      { strategy?: { matrix: { os: string[] } }; steps: { run?: string; uses?: string; if?: string }[] }
    >;
  };

  it('release.yml builds the installers on the three systems from a v* tag and attaches them', () => {
    const release = readYaml('.github/workflows/release.yml') as unknown as Workflow;
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    const job = Object.values(release.jobs)[0]!;
    expect(job.strategy?.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    const runs = job.steps.map((step) => step.run ?? step.uses ?? '');
    expect(runs).toContain('npm ci');
    expect(runs.some((step) => step.includes('npm test'))).toBe(true);
    expect(job.steps.find((step) => step.run?.includes('npm test'))?.if).toBe("runner.os == 'Linux'");
    expect(runs).toContain('npm run dist');
    expect(runs.some((step) => step.startsWith('softprops/action-gh-release'))).toBe(true);
  });

  it('ci.yml runs the suite on pushes and pull requests, and the real Electron window under Xvfb', () => {
    const ci = readYaml('.github/workflows/ci.yml') as unknown as Workflow;
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const runs = Object.values(ci.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    expect(runs.some((step) => step.includes('npm test'))).toBe(true);
    expect(runs).toContain('xvfb-run --auto-servernum npm run test:electron');
  });
});

describe('npm start', () => {
  it('without Electron’s binary, says why and names the browser mode, exit 1, no stack trace', async () => {
    const result = await run('npm', ['start', '--silent'], {
      cwd: repoRoot,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(repoRoot, 'test-results', 'no-electron-here') },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      "Release Cockpit cannot open its window here: Electron's binary is not installed (it could not be downloaded; `npx install-electron` retries).",
      'Run it in a browser instead: npm run start:web (then open the URL it prints).',
    ]);
    expect(result.stderr).not.toMatch(/\bat .*\(|Error:/);
  });
});
