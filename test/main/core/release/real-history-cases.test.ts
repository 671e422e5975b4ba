/**
 * The release logic on crafted repositories, one per way real histories (projects released with
 * semantic-release, release-please and lerna) once made the plan disagree with the bump the project
 * actually made — and the notes details. Real git, real tags, the real ReleaseService.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReleaseBase } from '../../../../src/main/core/release/release-repo';
import { craftedRepository } from './crafted-repository';

describe('1. the tag a plan starts from', () => {
  it('is the highest stable tag on the branch, compared as SemVer, never a pre-release or another branch’s tag', async () => {
    const repo = craftedRepository();
    repo.commit('feat: the 25 line');
    repo.tag('v25.0.0');
    repo.git('switch', '--quiet', '--create', 'beta');
    repo.commit('feat!: the next major\n\nBREAKING CHANGE: config moves');
    repo.tag('v26.0.0-beta.1');
    repo.tag('v25.0.0-beta.11', { at: 'HEAD~1' });
    repo.git('switch', '--quiet', '--create', 'elsewhere', 'main');
    repo.commit('feat: on a side branch');
    repo.tag('v25.9.0');
    repo.git('switch', '--quiet', 'main');
    repo.commit('fix: a patch on main');

    const plan = await repo.service().plan('api');
    expect(plan.latestTag).toBe('v25.0.0');
    expect(plan.suggestedBump).toBe('patch');
    expect(plan.commits.map((commit) => commit.subject)).toEqual(['fix: a patch on main']);
  });

  it('counts pre-release tags on a pre-release branch (alpha, beta, next, rc, or the platform’s own)', async () => {
    const repo = craftedRepository();
    repo.commit('feat: one');
    repo.tag('v1.0.0');
    repo.git('switch', '--quiet', '--create', 'beta');
    repo.commit('feat: two');
    repo.tag('v2.0.0-beta.1');
    repo.commit('fix: three');
    expect((await repo.service({ branch: 'beta' }).plan('api')).latestTag).toBe('v2.0.0-beta.1');

    repo.git('branch', '--quiet', 'preview');
    expect((await readReleaseBase({ path: repo.work, branch: 'preview' })).tag?.name).toBe('v1.0.0');
    const own = await readReleaseBase({ path: repo.work, branch: 'preview', prereleaseBranches: ['preview'] });
    expect(own.tag?.name).toBe('v2.0.0-beta.1');
    expect((await repo.service({ branch: 'preview', prereleaseBranches: ['preview'] }).plan('api')).latestTag).toBe(
      'v2.0.0-beta.1',
    );
  });

  it('says which branch is missing instead of planning from nothing', async () => {
    const repo = craftedRepository();
    await expect(readReleaseBase({ path: repo.work, branch: 'no-such-branch' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('"no-such-branch"'),
    });
  });
});

describe('2. tags that are not versions', () => {
  it('never hide the version tags: two newer web-1, web-2 tags leave v1.2.0 the base', async () => {
    const repo = craftedRepository();
    repo.commit('feat: the base');
    repo.tag('v1.2.0');
    repo.commit('fix: after the release');
    repo.tag('web-1');
    repo.commit('docs: a page');
    repo.tag('web-2');

    const plan = await repo.service().plan('api');
    expect(plan.latestTag).toBe('v1.2.0');
    expect(plan.commits).toHaveLength(2);
    expect(plan.suggestedBump).toBe('patch');
  });
});

describe('3. a git-style revert', () => {
  it('releases a patch, listed under the fixes', async () => {
    const repo = craftedRepository();
    repo.commit('fix: cache the tokens', { file: 'cache.txt' });
    repo.tag('v1.0.0');
    repo.git('revert', '--no-edit', 'HEAD');

    const service = repo.service();
    const plan = await service.plan('api');
    expect(plan.commits[0]?.subject).toBe('Revert "fix: cache the tokens"');
    expect(plan.suggestedBump).toBe('patch');
    const notes = await service.notes('api', 'v1.0.0', 'HEAD');
    expect(notes).toContain('## 🐛 Fixes\n- Revert "fix: cache the tokens"');
  });

  it('cancels out with the commit it reverts in the same range: neither is released nor listed', async () => {
    const repo = craftedRepository();
    repo.tag('v1.0.0');
    repo.commit('fix: a typo in the footer');
    const feature = repo.commit('feat: dark mode', { file: 'theme.txt' });
    repo.git('revert', '--no-edit', feature);

    const service = repo.service();
    const plan = await service.plan('api');
    expect(plan.commits.map((commit) => commit.subject)).toEqual(['fix: a typo in the footer']);
    expect(plan.suggestedBump).toBe('patch');
    const notes = await service.notes('api', 'v1.0.0', 'HEAD');
    expect(notes).not.toContain('dark mode');
  });
});

describe('4–6. breaking changes wherever semantic-release reads them', () => {
  it.each([
    ['4. a bullet footer', 'feat: new storage\n\n* BREAKING CHANGE: the v1 files are not read any more\n'],
    ['4. an indented footer', 'feat: new storage\n\n  BREAKING-CHANGE: the v1 files are not read any more\n'],
    ['5. directly under the header', 'feat: new storage\nBREAKING CHANGE: the v1 files are not read any more\n'],
  ])('%s → major, in the breaking section', async (_case, message) => {
    const repo = craftedRepository('3.1.0');
    repo.tag('v3.1.0');
    repo.commit(message);

    const service = repo.service();
    const plan = await service.plan('api');
    expect(plan.suggestedBump).toBe('major');
    expect(plan.commits[0]).toMatchObject({ subject: 'feat: new storage', isBreaking: true });
    const notes = await service.notes('api', 'v3.1.0', 'HEAD');
    expect(notes).toContain('## ⚠️ Breaking changes\n- the v1 files are not read any more');
    expect(notes).toMatch(/^# Release v4\.0\.0 - 2026-12-01/);
  });

  it('6. a merge commit’s BREAKING CHANGE footer: the plan says major and the notes have the breaking section', async () => {
    const repo = craftedRepository();
    repo.tag('v2.4.0');
    repo.git('switch', '--quiet', '--create', 'topic');
    repo.commit('refactor: new routing', { file: 'routes.txt' });
    repo.git('switch', '--quiet', 'main');
    repo.git(
      'merge',
      '--quiet',
      '--no-ff',
      'topic',
      '-m',
      "Merge branch 'topic'",
      '-m',
      'BREAKING CHANGE: routes live under /api/v2',
    );

    const service = repo.service();
    const plan = await service.plan('api');
    expect(plan.suggestedBump).toBe('major');
    expect(plan.commits.find((commit) => commit.isMerge)).toMatchObject({ isBreaking: true });
    const preview = await service.preview('api', 'major');
    expect(preview.notes).toContain('## ⚠️ Breaking changes\n- routes live under /api/v2');
    expect(preview.notes).toContain('- Commits: 1 (1 merge commit not listed)');
  });

  it('a ! before the colon is breaking too (the Conventional Commits rule)', async () => {
    const repo = craftedRepository();
    repo.tag('v1.0.0');
    repo.commit('feat(api)!: drop the v1 routes');
    expect((await repo.service().plan('api')).suggestedBump).toBe('major');
  });
});

describe('7. a placeholder version in package.json', () => {
  it('takes the version from the tags; the cut tags HEAD, writes no file and makes no commit', async () => {
    const repo = craftedRepository('0.0.0-development');
    repo.commit('feat: twenty-five');
    repo.tag('v25.0.8');
    repo.git('push', '--quiet', 'origin', 'main', 'v25.0.8');
    repo.commit('feat: search', { file: 'search.txt' });
    repo.git('push', '--quiet', 'origin', 'main');

    const service = repo.service();
    const plan = await service.plan('api');
    expect(plan).toMatchObject({ currentVersion: '25.0.8', versionSource: 'tags', suggestedBump: 'minor' });
    expect(plan.nextVersions).toEqual({ patch: '25.0.9', minor: '25.1.0', major: '26.0.0' });

    const preview = await service.preview('api', 'minor');
    expect(preview).toMatchObject({ version: '25.1.0', tag: 'v25.1.0', files: [], canCut: true });
    expect(preview.commitMessage).toBeUndefined();

    const head = repo.git('rev-parse', 'HEAD');
    const result = await service.cut('api', 'minor');
    expect(result).toMatchObject({ version: '25.1.0', tag: 'v25.1.0', commit: head });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(JSON.parse(readFileSync(path.join(repo.work, 'package.json'), 'utf8')).version).toBe('0.0.0-development');
    expect(repo.git('--git-dir', repo.origin, 'rev-parse', 'v25.1.0^{commit}')).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('without package.json at all, the tags hold the version too', async () => {
    const repo = craftedRepository(null);
    repo.tag('v0.3.1');
    repo.commit('fix: the edge case');
    expect(await repo.service().plan('api')).toMatchObject({ currentVersion: '0.3.1', versionSource: 'tags' });
  });

  it('a cut never goes below an existing tag: package.json behind the tags is refused, nothing changed', async () => {
    const repo = craftedRepository('1.0.0');
    repo.commit('feat: released by another tool');
    repo.tag('v25.0.8');
    repo.git('push', '--quiet', 'origin', 'main', 'v25.0.8');
    repo.commit('fix: after');
    repo.git('push', '--quiet', 'origin', 'main');

    const service = repo.service();
    const preview = await service.preview('api', 'patch');
    expect(preview.canCut).toBe(false);
    expect(preview.checks.find((check) => check.id === 'above-tags')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('v25.0.8 is already on main'),
    });
    const head = repo.git('rev-parse', 'HEAD');
    await expect(service.cut('api', 'patch')).rejects.toMatchObject({ code: 'RELEASE_REFUSED' });
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('tag', '--list', 'v1.0.1')).toBe('');
  });
});

describe('release notes details', () => {
  it('shows a subject’s trailing (#123) once, leading the item', async () => {
    const repo = craftedRepository();
    repo.tag('v1.0.0');
    repo.commit('fix(auth): refresh expired sessions (#123)');
    const notes = await repo.service().notes('api', 'v1.0.0', 'HEAD');
    expect(notes).toContain('- [#123](https://github.com/acme/api/issues/123) **auth:** refresh expired sessions\n');
    expect(notes.match(/#123/g)).toHaveLength(1);
  });

  it('links owner/repo#123 to that repository, not the platform’s', async () => {
    const repo = craftedRepository();
    repo.tag('v1.0.0');
    repo.commit('fix: follow the upstream change\n\nFixes octo-org/upstream-lib#77\n');
    const notes = await repo.service().notes('api', 'v1.0.0', 'HEAD');
    expect(notes).toContain(
      '- [octo-org/upstream-lib#77](https://github.com/octo-org/upstream-lib/issues/77) follow the upstream change',
    );
  });

  it('leaves out release commits of other tools, in the plan and the notes', async () => {
    const repo = craftedRepository();
    repo.tag('v1.0.0');
    repo.commit('feat: export to CSV');
    for (const subject of ['chore(main): release 1.1.0', 'v1.1.0', 'chore(release): 1.1.0 [skip ci]', '1.1.0'])
      repo.commit(subject);
    const service = repo.service();
    expect((await service.plan('api')).commits.map((commit) => commit.subject)).toEqual(['feat: export to CSV']);
    const notes = await service.notes('api', 'v1.0.0', 'HEAD');
    expect(notes).not.toMatch(/release 1\.1\.0|^- v1\.1\.0|\[skip ci\]/m);
    expect(notes).toContain('- Commits: 1\n');
  });

  it('titles vA..vB with vB’s tag date, not today', async () => {
    const repo = craftedRepository();
    repo.tag('v1.0.0', { date: '2025-01-02T10:00:00Z' });
    repo.commit('feat: a feature');
    repo.tag('v1.1.0', { date: '2025-03-04T16:30:00Z' });
    const notes = await repo.service({ clock: new Date('2026-12-01T08:00:00Z') }).notes('api', 'v1.0.0', 'v1.1.0');
    expect(notes.split('\n')[0]).toBe('# Release v1.1.0 - 2025-03-04');
  });

  it('titles a range ending at HEAD as the version it would become, never vHEAD', async () => {
    const repo = craftedRepository('1.4.0');
    repo.commit('feat: first');
    repo.tag('v1.4.0');
    repo.commit('feat: second');
    const service = repo.service({ clock: new Date('2026-12-01T08:00:00Z') });
    expect((await service.notes('api', 'v1.4.0', 'HEAD')).split('\n')[0]).toBe('# Release v1.5.0 - 2026-12-01');
    repo.commit('docs: nothing user-visible');
    expect((await service.notes('api', 'HEAD~1', 'HEAD')).split('\n')[0]).toBe('# Unreleased changes - 2026-12-01');
  });
});
