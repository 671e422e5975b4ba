import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoServices } from '../../../../src/main/core/demo/catalog';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../../../src/main/core/demo/repos';
import {
  bumpLockfile,
  bumpPackageJson,
  cutRelease,
  preparationChecks,
} from '../../../../src/main/core/release/release-repo';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A fresh copy of the demo's notify-service: a working clone on develop and its bare origin. */
async function repository() {
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-release-')));
  const service = demoServices.find((candidate) => candidate.id === 'notify-service')!;
  await ensureServiceRepos(layout, service, 'export {};\n', new Date('2026-11-20T12:00:00Z'));
  const work = layout.work('notify-service');
  return { work, origin: layout.origin('notify-service'), repo: { path: work, branch: 'develop' } };
}

/** Everything a refusal must leave as it was. */
function state(work: string, origin: string) {
  return {
    head: git(work, 'rev-parse', 'HEAD'),
    tags: git(work, 'tag', '--list'),
    status: git(work, 'status', '--porcelain'),
    packageJson: readFileSync(path.join(work, 'package.json'), 'utf8'),
    remoteDevelop: git(origin, 'rev-parse', 'develop'),
    remoteTags: git(origin, 'tag', '--list'),
  };
}

const notes = async (version: string) => `Release v${version}\n\nNotes.\n`;

describe('cutting a release in a real repository with a real bare remote', () => {
  it('bumps package.json and the lockfile, commits, tags and pushes both to the remote', async () => {
    const { work, origin, repo } = await repository();
    const outcome = await cutRelease(repo, 'minor', notes);
    expect(outcome).toMatchObject({ version: '1.2.0', tag: 'v1.2.0', branch: 'develop' });
    expect(git(origin, 'rev-parse', 'develop')).toBe(outcome.commit);
    expect(git(origin, 'rev-parse', 'v1.2.0^{commit}')).toBe(outcome.commit);
    expect(git(origin, 'cat-file', '-t', 'v1.2.0')).toBe('tag');
    expect(git(origin, 'log', '-1', '--format=%s', 'develop')).toBe('chore(release): v1.2.0');
    expect(git(origin, 'tag', '-l', '--format=%(contents)', 'v1.2.0')).toContain('Release v1.2.0');
    expect(JSON.parse(git(origin, 'show', 'v1.2.0:package.json')).version).toBe('1.2.0');
    const lock = JSON.parse(git(origin, 'show', 'v1.2.0:package-lock.json'));
    expect([lock.version, lock.packages[''].version]).toEqual(['1.2.0', '1.2.0']);
    expect(git(work, 'diff', 'HEAD~1', '--stat')).toMatch(/2 files changed, 3 insertions\(\+\), 3 deletions\(-\)/);
    expect(git(work, 'status', '--porcelain')).toBe('');
  });

  it.each([
    [
      'a dirty tree',
      (work: string) => writeFileSync(path.join(work, 'CHANGES.md'), 'edited\n'),
      'clean',
      'Uncommitted changes',
    ],
    ['the wrong branch', (work: string) => git(work, 'switch', '--quiet', 'main'), 'branch', 'The checkout is on main'],
    [
      'a checkout behind origin',
      (work: string) => git(work, 'reset', '--quiet', '--hard', 'HEAD~1'),
      'up-to-date',
      'Behind origin by 1 commit',
    ],
    ['an existing tag', (work: string) => git(work, 'tag', 'v1.2.0'), 'tag-free', 'Tag v1.2.0 already exists'],
  ])('refuses on %s and changes nothing', async (_label, spoil, failedCheck, message) => {
    const { work, origin, repo } = await repository();
    spoil(work);
    const before = state(work, origin);
    await expect(cutRelease(repo, 'minor', notes)).rejects.toMatchObject({
      code: 'RELEASE_REFUSED',
      message: expect.stringContaining(message),
      details: { failedChecks: expect.arrayContaining([failedCheck]) },
    });
    expect(state(work, origin)).toEqual(before);
  });

  it('says what was done locally and how to finish or undo when the push fails', async () => {
    const { work, origin, repo } = await repository();
    const remoteBefore = git(origin, 'rev-parse', 'develop');
    // The remote refuses every update, as a protected branch would.
    const hook = path.join(origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected branch" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const failure = await cutRelease(repo, 'patch', notes).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'PUSH_FAILED', details: { tag: 'v1.1.1', isLocalOnly: true } });
    const message = (failure as Error).message;
    expect(message).toContain('tagged v1.1.1 locally');
    expect(message).toContain('git push --atomic origin develop v1.1.1');
    expect(message).toContain('git tag -d v1.1.1 && git reset --hard HEAD~1');
    expect(git(origin, 'rev-parse', 'develop')).toBe(remoteBefore);
    expect(git(origin, 'tag', '--list', 'v1.1.1')).toBe('');
    expect(git(work, 'tag', '--list', 'v1.1.1')).toBe('v1.1.1');
  });

  it('reports each preparation check with its result', async () => {
    const { repo } = await repository();
    const checks = await preparationChecks(repo, '1.2.0');
    expect(checks.map((check) => [check.id, check.status])).toEqual([
      ['branch', 'pass'],
      ['fetch', 'pass'],
      ['up-to-date', 'pass'],
      ['clean', 'pass'],
      ['tag-free', 'pass'],
      ['above-tags', 'pass'],
    ]);
    const below = await preparationChecks(repo, '1.0.5');
    expect(below.find((check) => check.id === 'above-tags')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('v1.1.0 is already on develop'),
    });
  });
});

describe('bumping the version files', () => {
  it('changes only the version, keeping formatting and key order', () => {
    const text =
      '{\n    "name": "x",\n    "version": "1.0.0",\n    "dependencies": { "y": { "version": "1.0.0" } }\n}\n';
    expect(bumpPackageJson(text, '1.0.0', '1.1.0')).toBe(text.replace('"version": "1.0.0",', '"version": "1.1.0",'));
  });

  it('changes the lockfile’s own versions, not its dependencies’', () => {
    const lock = `${JSON.stringify(
      {
        name: 'x',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: { '': { name: 'x', version: '1.0.0' }, 'node_modules/y': { version: '1.0.0' } },
      },
      null,
      2,
    )}\n`;
    const bumped = JSON.parse(bumpLockfile(lock, '1.0.0', '2.0.0'));
    expect([bumped.version, bumped.packages[''].version, bumped.packages['node_modules/y'].version]).toEqual([
      '2.0.0',
      '2.0.0',
      '1.0.0',
    ]);
  });
});
