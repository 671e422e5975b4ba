/**
 * Services that name only a `repo.url` (here a real bare repository, by file URL): the cockpit
 * clones them into its data folder on first need, fetches before every plan and cut, never
 * discards local work, and keeps working from the last fetch when the remote is away.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManagedRepos, withManagedRepos, type ManagedProgress } from '../../../../src/main/core/git/managed-repos';
import { Platform } from '../../../../src/main/core/platform/schema';
import { ReleaseService } from '../../../../src/main/core/release/release-service';
import { buildCockpit, noKeychain, temporaryDataDir } from '../../../helpers/cockpit-builder';
import { craftedRepository } from '../release/crafted-repository';

// Release commits in a managed clone are made with the user's own identity, as any git command.
const identity = {
  GIT_AUTHOR_NAME: 'Camille',
  GIT_AUTHOR_EMAIL: 'camille@example.com',
  GIT_COMMITTER_NAME: 'Camille',
  GIT_COMMITTER_EMAIL: 'camille@example.com',
};
const saved = { ...process.env };
Object.assign(process.env, identity);

function urlOnlyPlatform(url: string) {
  return Platform.parse({
    version: 1,
    id: 'managed',
    name: 'Managed',
    environments: [{ id: 'staging', name: 'Staging', branch: 'main' }],
    services: [
      {
        id: 'api',
        name: 'API',
        repo: { url, developBranch: 'main', mainBranch: 'main' },
        environments: { staging: { url: 'http://127.0.0.1:1', deploy: { provider: 'command', command: ['true'] } } },
      },
    ],
  });
}

function managedSetup(url: string, clock = () => new Date()) {
  const dataDir = temporaryDataDir();
  const platform = withManagedRepos(urlOnlyPlatform(url), dataDir);
  const progress: ManagedProgress[] = [];
  const offline: string[] = [];
  const managed = new ManagedRepos({
    platform,
    dataDir,
    clock,
    onProgress: (step) => progress.push(step),
    onOffline: (message) => offline.push(message),
  });
  const releases = new ReleaseService({ platform, dataDir, managedRepos: managed });
  return { dataDir, platform, managed, releases, progress, offline };
}

describe('a service with only a repo.url', () => {
  it('is cloned on first need, fetched before each plan, released to its remote', async () => {
    const repo = craftedRepository('1.0.0');
    repo.tag('v1.0.0');
    repo.commit('feat: search', { file: 'search.txt' });
    repo.git('push', '--quiet', 'origin', 'main', '--tags');
    const { dataDir, platform, releases, progress } = managedSetup(`file://${repo.origin}`);
    const folder = path.join(dataDir, 'repos', 'managed', 'api');
    expect(platform.services[0]!.repo.path).toBe(folder);
    expect(existsSync(folder)).toBe(false);

    const first = await releases.plan('api');
    expect(first.commits.map((commit) => commit.subject)).toEqual(['feat: search']);
    expect(progress[0]).toEqual({ cloning: { done: 0, total: 1, service: 'api' } });
    expect(execFileSync('git', ['-C', folder, 'branch', '--show-current'], { encoding: 'utf8' }).trim()).toBe('main');

    // A commit pushed by someone else after the first plan is in the next one.
    repo.commit('fix: typo in results', { file: 'typo.txt' });
    repo.git('push', '--quiet', 'origin', 'main');
    const second = await releases.plan('api');
    expect(second.commits.map((commit) => commit.subject)).toEqual(['feat: search', 'fix: typo in results']);

    const cut = await releases.cut('api', 'minor', '1.1.0');
    expect(cut.tag).toBe('v1.1.0');
    expect(
      execFileSync('git', ['-C', repo.origin, 'rev-parse', 'refs/tags/v1.1.0^{commit}'], { encoding: 'utf8' }).trim(),
    ).toBe(execFileSync('git', ['-C', repo.origin, 'rev-parse', 'refs/heads/main'], { encoding: 'utf8' }).trim());
  });

  it('never discards local work: a commit not pushed stays, and is said', async () => {
    const repo = craftedRepository('1.0.0');
    repo.git('push', '--quiet', 'origin', 'main');
    const { managed, dataDir } = managedSetup(`file://${repo.origin}`);
    const folder = await managed.folderOf('api');
    expect(folder).toBe(path.join(dataDir, 'repos', 'managed', 'api'));
    execFileSync('git', ['-C', folder, 'commit', '--quiet', '--allow-empty', '-m', 'wip: mine'], { env: process.env });
    repo.commit('feat: theirs', { file: 'theirs.txt' });
    repo.git('push', '--quiet', 'origin', 'main');
    const [state] = await managed.prepare(['api']);
    expect(state!.notes).toEqual([expect.stringContaining('main and origin/main have diverged: left as it is')]);
    expect(execFileSync('git', ['-C', folder, 'log', '-1', '--format=%s'], { encoding: 'utf8' }).trim()).toBe(
      'wip: mine',
    );
  });

  it('offline, works from the last fetch, says so once and backs off', async () => {
    const repo = craftedRepository('1.0.0');
    repo.tag('v1.0.0');
    repo.commit('feat: search', { file: 'search.txt' });
    repo.git('push', '--quiet', 'origin', 'main', '--tags');
    let now = Date.parse('2026-12-02T09:00:00Z');
    const { managed, releases, offline } = managedSetup(`file://${repo.origin}`, () => new Date(now));
    await releases.plan('api');
    renameSync(repo.origin, `${repo.origin}-away`);
    try {
      now += 60_000;
      const plan = await releases.plan('api');
      expect(plan.commits.map((commit) => commit.subject)).toEqual(['feat: search']);
      expect(offline).toEqual([
        expect.stringMatching(
          /^api: could not fetch .* working from the fetch of 2026-12-02T09:00:00.000Z, trying again in 30 s\.$/,
        ),
      ]);
      expect(managed.states()[0]).toMatchObject({
        problem: expect.any(String),
        lastFetchedAt: '2026-12-02T09:00:00.000Z',
      });
      // Within the back-off nothing is tried again, and nothing more is said.
      now += 10_000;
      await releases.plan('api');
      expect(offline).toHaveLength(1);
    } finally {
      renameSync(`${repo.origin}-away`, repo.origin);
    }
    // Back online after the back-off: fetched again, the problem gone.
    now += 30_000;
    await releases.plan('api');
    expect(managed.states()[0]).not.toHaveProperty('problem');
    expect(managed.states()[0]!.lastFetchedAt).toBe(new Date(now).toISOString());
  });

  it('that cannot be cloned is a clear error naming the URL, and leaves no half-made clone', async () => {
    const { releases, dataDir } = managedSetup('file:///nonexistent/team/api.git');
    await expect(releases.plan('api')).rejects.toMatchObject({
      code: 'GIT_FAILED',
      message: expect.stringMatching(/Could not clone api from file:\/\/\/nonexistent\/team\/api\.git .*repo\.path/),
    });
    expect(existsSync(path.join(dataDir, 'repos', 'managed', 'api'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'repos', 'managed', 'api.cloning'))).toBe(false);
  });

  it('keeps a repo.path the user set: never cloned or fetched by the cockpit', () => {
    const dataDir = temporaryDataDir();
    const own = Platform.parse({
      ...urlOnlyPlatform('https://git.example.com/api.git'),
      services: [
        { ...urlOnlyPlatform('x').services[0]!, repo: { url: 'https://git.example.com/api.git', path: '/work/api' } },
      ],
    });
    const platform = withManagedRepos(own, dataDir);
    expect(platform.services[0]!.repo.path).toBe('/work/api');
    expect(new ManagedRepos({ platform, dataDir }).isManaged('api')).toBe(false);
  });
});

process.on('exit', () => Object.assign(process.env, saved));

describe('managed clones in the matrix', () => {
  it('says "cloning" on the row first, then shows the clone’s tags and last fetch', async () => {
    const repo = craftedRepository('1.2.0');
    repo.tag('v1.2.0');
    repo.git('push', '--quiet', 'origin', 'main', '--tags');
    const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-managed-matrix-'));
    const platformFile = path.join(folder, 'managed.yaml');
    writeFileSync(
      platformFile,
      `version: 1
id: managed
name: Managed
environments:
  - { id: staging, name: Staging, branch: main }
services:
  - id: api
    name: API
    repo: { url: "file://${repo.origin}", developBranch: main, mainBranch: main }
    environments:
      staging: { url: "http://127.0.0.1:9", deploy: { provider: command, command: ["true"] } }
`,
    );
    const dataDir = temporaryDataDir();
    const rows: { repo?: { isCloning?: boolean; isManaged?: boolean; latestTag?: string; lastFetchAt?: string } }[] =
      [];
    const { cockpit } = buildCockpit({ platformFile, dataDir, openKeychain: noKeychain });
    cockpit.events.subscribe((channel, payload) => {
      if (channel === 'matrix:rows-changed') rows.push(...(payload as { rows: (typeof rows)[number][] }).rows);
    });
    await cockpit.start();
    try {
      await expect.poll(() => rows.some((row) => row.repo?.latestTag === 'v1.2.0'), { timeout: 15_000 }).toBe(true);
      expect(rows[0]!.repo).toMatchObject({ isManaged: true, isCloning: true });
      expect(rows.find((row) => row.repo?.latestTag)!.repo).toMatchObject({
        isManaged: true,
        lastFetchAt: expect.any(String),
      });
      expect(existsSync(path.join(dataDir, 'repos', 'managed', 'api', '.git'))).toBe(true);
    } finally {
      cockpit.stop();
    }
  });
});
