import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoServices } from '../../src/main/core/demo/catalog';
import { demoLayout } from '../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../src/main/core/demo/repos';
import { temporaryDataDir } from '../helpers/cockpit-builder';
import { runCockpit } from '../helpers/cockpit-cli';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

async function repository() {
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-cli-release-')));
  await ensureServiceRepos(
    layout,
    demoServices.find((service) => service.id === 'ai-service')!,
    'export {};\n',
    new Date('2026-11-20T00:00:00Z'),
  );
  return { work: layout.work('ai-service'), origin: layout.origin('ai-service') };
}

const env = () => ({ ...process.env, COCKPIT_DATA_DIR: temporaryDataDir() });

describe('cockpit release and cockpit notes on any repository (--repo)', () => {
  it('plans: commits since the tag and the suggested bump', async () => {
    const { work } = await repository();
    const result = await runCockpit(['release', 'plan', '-', '--repo', work, '--json'], env());
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan).toMatchObject({
      currentVersion: '2.1.0',
      latestTag: 'v2.1.0',
      suggestedBump: 'minor',
      branch: 'develop',
    });
    expect(plan.commits).toHaveLength(2);
  });

  it('previews with --dry-run and writes nothing', async () => {
    const { work, origin } = await repository();
    const head = git(work, 'rev-parse', 'HEAD');
    const result = await runCockpit(['release', 'cut', '-', 'major', '--repo', work, '--dry-run'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Dry run — nothing written. ai-service: v2.1.0 → v3.0.0 (major)');
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(origin, 'tag', '--list', 'v3.0.0')).toBe('');
  });

  it('cuts without a prompt (the command is the confirmation) and pushes', async () => {
    const { origin, work } = await repository();
    const result = await runCockpit(['release', 'cut', '-', 'patch', '--repo', work], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Released ai-service v2\.1\.1 \([0-9a-f]{7}\), pushed with its tag\./);
    expect(git(origin, 'describe', '--tags', 'develop')).toBe('v2.1.1');
  });

  it('exits 1 and changes nothing when a check fails', async () => {
    const { work } = await repository();
    const head = git(work, 'rev-parse', 'HEAD');
    writeFileSync(path.join(work, 'CHANGES.md'), 'work in progress\n');
    const result = await runCockpit(['release', 'cut', '-', 'patch', '--repo', work], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Nothing was changed: Clean working tree — Uncommitted changes');
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('prints release notes between two tags as Markdown', async () => {
    const { work } = await repository();
    const result = await runCockpit(['notes', '-', 'v2.0.1..v2.1.0', '--repo', work], env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('# Release v2.1.0');
    expect(result.stdout).toContain('## 🚀 Features\n- [#522] pronunciation feedback');
    expect(result.stdout).toContain('## ⚡ Performance\n- [#524] cache embeddings');
  });

  it('leaves the service out with --repo: release plan, release cut <bump>, notes <range>', async () => {
    const { work, origin } = await repository();
    const plan = await runCockpit(['release', 'plan', '--repo', work, '--json'], env());
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ service: 'ai-service', latestTag: 'v2.1.0' });
    const dryRun = await runCockpit(['release', 'cut', 'minor', '--repo', work, '--dry-run'], env());
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('ai-service: v2.1.0 → v2.2.0 (minor)');
    expect(git(origin, 'tag', '--list', 'v2.2.0')).toBe('');
    const notes = await runCockpit(['notes', '--repo', work, 'v2.0.1..v2.1.0'], env());
    expect(notes.code, notes.stderr).toBe(0);
    expect(notes.stdout).toContain('# Release v2.1.0');
  });

  it('lists at most 50 commits in the text plan, all of them with --json', async () => {
    const { work } = await repository();
    for (let index = 0; index < 55; index++)
      git(
        work,
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        `fix: step ${index}`,
      );
    const text = await runCockpit(['release', 'plan', '--repo', work], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('57 commits since v2.1.0:');
    expect(text.stdout.split('\n').filter((line) => /^ {2}[0-9a-f]{7} /.test(line))).toHaveLength(50);
    expect(text.stdout).toContain('  … 7 more (--json for all)\n');
    const json = await runCockpit(['release', 'plan', '--repo', work, '--json'], env());
    expect(JSON.parse(json.stdout).commits).toHaveLength(57);
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCockpit(['release', 'cut', 'x', 'huge', '--repo', '.'], env())).code).toBe(2);
    expect((await runCockpit(['notes', 'x', 'v1', '--repo', '.'], env())).code).toBe(2);
    expect((await runCockpit(['release', 'plan', 'x'], env())).code).toBe(2);
  });
});

describe('hotfixes and batches', () => {
  it('starts a hotfix branch from the production tag and cuts a patch from it', async () => {
    const { work, origin } = await repository();
    const start = await runCockpit(['release', 'hotfix', '-', '--from', 'v2.0.0', '--repo', work], env());
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toContain('Created and checked out hotfix/2.0.1 from v2.0.0');
    expect(git(work, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('hotfix/2.0.1');
    // v2.0.1 already exists in this history: the check refuses, changing nothing.
    const refused = await runCockpit(['release', 'cut', '-', 'patch', '--repo', work], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Tag v2.0.1 already exists');
    git(work, 'tag', '-d', 'v2.0.1');
    git(origin, 'tag', '-d', 'v2.0.1');
    writeFileSync(path.join(work, 'FIX.md'), 'critical fix\n');
    git(work, 'add', 'FIX.md');
    git(
      work,
      '-c',
      'user.name=On Call',
      '-c',
      'user.email=oncall@example.com',
      'commit',
      '--quiet',
      '-m',
      'fix: critical data bug [#999]',
    );
    const cut = await runCockpit(['release', 'cut', '-', 'patch', '--repo', work], env());
    expect(cut.code, cut.stderr).toBe(0);
    expect(git(origin, 'rev-parse', 'hotfix/2.0.1')).toBe(git(origin, 'rev-parse', 'v2.0.1^{commit}'));
    expect(git(origin, 'log', '-1', '--format=%s', 'hotfix/2.0.1')).toBe('chore(release): v2.0.1');
  });
});
