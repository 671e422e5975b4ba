import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli/program';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin', 'cockpit.js');
const packageVersion = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
const info = { name: 'release-cockpit', productName: 'Release Cockpit', version: '1.2.3' };

function memoryIo() {
  const io = { stdout: '', stderr: '' };
  const cliIo: CliIo = { out: (text) => (io.stdout += text), err: (text) => (io.stderr += text), env: {} };
  return { io, cliIo };
}

describe('the cockpit command (a real process)', () => {
  it('prints the package version with --version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version'], { cwd: root });
    expect(stdout.trim()).toBe(packageVersion);
  });

  it('prints usage and exit codes with --help', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help'], { cwd: root });
    expect(stdout).toContain('Usage: cockpit <command>');
    expect(stdout).toContain('Exit codes: 0 ok, 1 the check or action failed, 2 bad usage or input.');
  });

  it('exits 2 with a hint on an unknown command', async () => {
    const failure = await run(process.execPath, [bin, 'deploy-everything'], { cwd: root }).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('unknown command "deploy-everything"');
    expect(failure.stderr).toContain('cockpit --help');
  });
});

describe('the cockpit command (in process)', () => {
  it.each([[[]], [['-h']], [['help']]])('shows help for %j', async (argv) => {
    const { io, cliIo } = memoryIo();
    await expect(runCli(argv, cliIo, info)).resolves.toBe(0);
    expect(io.stdout).toContain('Release Cockpit 1.2.3');
  });

  it('prints the version with -v', async () => {
    const { io, cliIo } = memoryIo();
    await expect(runCli(['-v'], cliIo, info)).resolves.toBe(0);
    expect(io.stdout).toBe('1.2.3\n');
  });
});
