import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoServices } from '../../../../src/main/core/demo/catalog';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../../../src/main/core/demo/repos';
import { gitIn, listCommits, listTags, readRepoState } from '../../../../src/main/core/git/repo-state';

const authService = demoServices.find((service) => service.id === 'auth-service')!;
let work: string;

beforeAll(async () => {
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-repo-state-')));
  await ensureServiceRepos(layout, authService, 'export {};\n', new Date('2026-11-20T12:00:00Z'));
  work = layout.work('auth-service');
});

const location = () => ({ path: work, mainBranch: 'main', developBranch: 'develop', versionFile: 'package.json' });

describe('reading a service repository', () => {
  it('reports version, latest tag, commits since it, develop ahead of main, branch and cleanliness', async () => {
    expect(await readRepoState(location(), new Date('2026-11-24T00:00:00Z'))).toEqual({
      checkedAt: '2026-11-24T00:00:00.000Z',
      currentVersion: '2.1.0',
      latestTag: 'v2.1.0',
      commitsSinceTag: 3,
      developAheadOfMain: 3,
      isDirty: false,
      branch: 'develop',
      lastFetchAt: undefined,
      error: undefined,
    });
  });

  it('notices a dirty tree', async () => {
    writeFileSync(path.join(work, 'scratch.txt'), 'uncommitted');
    expect((await readRepoState(location())).isDirty).toBe(true);
    execFileSync('rm', [path.join(work, 'scratch.txt')]);
  });

  it('lists tags newest version first and the commits since the latest', async () => {
    const git = gitIn(work);
    const tags = await listTags(git);
    expect(tags.map((tag) => tag.name)).toEqual(['v2.1.0', 'v2.0.1', 'v2.0.0', 'v1.1.0', 'v1.0.0']);
    expect(tags[0]!.commit).toMatch(/^[0-9a-f]{40}$/);
    const commits = await listCommits(git, 'v2.1.0..develop');
    expect(commits.map((commit) => commit.subject)).toEqual([
      'fix: clearer lockout message',
      'test: cover refresh token reuse',
      'feat: two-factor authentication [#230]',
    ]);
  });

  it('reports a missing repository or a repository without tags on the row, without throwing', async () => {
    expect((await readRepoState({ ...location(), path: '/nonexistent/repo' })).error).toBe(
      'No git repository at /nonexistent/repo: clone it there or fix repo.path.',
    );
    const empty = mkdtempSync(path.join(os.tmpdir(), 'cockpit-empty-repo-'));
    execFileSync('git', ['init', '--quiet', empty]);
    const state = await readRepoState({ ...location(), path: empty });
    expect(state.latestTag).toBeUndefined();
    expect(state.error).toBeDefined();
  });

  it('runs nothing a poisoned repository config names (fsmonitor, hooks)', async () => {
    const sentinel = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-sentinel-')), 'pwned');
    const poisoned = mkdtempSync(path.join(os.tmpdir(), 'cockpit-poisoned-'));
    execFileSync('git', ['clone', '--quiet', work, poisoned]);
    execFileSync('git', ['-C', poisoned, 'config', 'core.fsmonitor', `touch ${sentinel}`]);
    execFileSync('git', ['-C', poisoned, 'config', 'core.hooksPath', path.join(poisoned, 'evil-hooks')]);
    const state = await readRepoState({ ...location(), path: poisoned });
    expect(state.latestTag).toBe('v2.1.0');
    expect(existsSync(sentinel)).toBe(false);
  });
});
