import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../../src/shared/ledger-record';
import { demoServices } from '../../../../src/main/core/demo/catalog';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../../../src/main/core/demo/repos';
import { mergeForPromotion, promotionOffer } from '../../../../src/main/core/deploy/promotion';
import { parsePlatform } from '../../../../src/main/core/platform/load';
import { cutRelease } from '../../../../src/main/core/release/release-repo';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const parsed = parsePlatform(
  `version: 1
id: promo
name: Promo
environments:
  - { id: staging, name: Staging, protected: false, branch: develop }
  - { id: production, name: Production, protected: true, branch: main }
services:
${['api', 'web']
  .map(
    (id) => `  - id: ${id}
    name: ${id}
    repo: { url: https://git.example.com/${id}.git }
    environments:
      staging: { url: "http://127.0.0.1:1/${id}", deploy: { provider: command, command: [deploy] } }
      production: { url: "http://127.0.0.1:2/${id}", deploy: { provider: command, command: [deploy] } }`,
  )
  .join('\n')}
`,
  'promo.yaml',
);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const platform = parsed.platform;

function finishedRun(runId: string, status: 'succeeded' | 'failed', steps: [string, string, string][]): LedgerRecord {
  return {
    seq: 1,
    at: '2026-11-24T10:00:00Z',
    actor: { name: 'RM', source: 'git' },
    action: 'deploy.finished',
    status,
    correlationId: runId,
    environment: 'staging',
    summary: 'Deploy to staging',
    details: { steps: steps.map(([service, version, stepStatus]) => ({ service, version, status: stepStatus })) },
    previousHash: '',
    hash: '',
  } as unknown as LedgerRecord;
}

const offer = (records: LedgerRecord[], fromRunning = { api: '1.1.0', web: '2.0.0' }) =>
  promotionOffer({
    platform,
    from: 'staging',
    to: 'production',
    fromRunning,
    toRunning: { api: '1.0.0', web: '2.0.0' },
    records,
  });

describe('when promotion to production is offered', () => {
  it('offers the versions a successful staging run deployed (or confirmed), and only those that differ', () => {
    const result = offer([finishedRun('run-a', 'succeeded', [['api', '1.1.0', 'succeeded']])]);
    expect(result).toMatchObject({ isOffered: true, versions: { api: '1.1.0' }, stagingRunId: 'run-a' });
    expect(offer([finishedRun('run-b', 'succeeded', [['api', '1.1.0', 'skipped']])]).isOffered).toBe(true);
  });

  it('refuses when the staging run failed, deployed another version, or never happened — saying what to deploy', () => {
    for (const records of [
      [],
      [finishedRun('run-c', 'failed', [['api', '1.1.0', 'succeeded']])],
      [finishedRun('run-d', 'succeeded', [['api', '1.0.5', 'succeeded']])],
    ]) {
      expect(offer(records)).toMatchObject({
        isOffered: false,
        reason: 'No successful staging run deployed api v1.1.0: deploy these versions to staging first.',
      });
    }
  });

  it('says there is nothing to promote when production already runs what staging runs', () => {
    expect(offer([], { api: '1.0.0', web: '2.0.0' })).toMatchObject({
      isOffered: false,
      reason: 'production already runs what staging runs: there is nothing to promote.',
    });
  });
});

/** The demo's notify-service with a fresh release on develop that main does not have yet. */
async function repositoryWithNewRelease() {
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-promote-')));
  const service = demoServices.find((candidate) => candidate.id === 'notify-service')!;
  await ensureServiceRepos(layout, service, 'export {};\n', new Date('2026-11-20T12:00:00Z'));
  const work = layout.work('notify-service');
  const { version } = await cutRelease({ path: work, branch: 'develop' }, 'minor', async (v) => `Release v${v}\n`);
  return { work, origin: layout.origin('notify-service'), version };
}

describe('merging the tested tag into main for production (real repos, real bare remote)', () => {
  it('merges with --no-ff in a separate worktree, pushes main, and leaves the user’s checkout as it was', async () => {
    const { work, origin, version } = await repositoryWithNewRelease();
    const before = { branch: git(work, 'branch', '--show-current'), head: git(work, 'rev-parse', 'HEAD') };
    const log: string[] = [];
    const detail = await mergeForPromotion({ path: work, mainBranch: 'main' }, version, (text) => log.push(text));
    expect(detail).toMatch(new RegExp(`^merged v${version} into main \\(\\w{7}\\)$`));
    const [parents, subject] = git(origin, 'log', '-1', '--format=%P%n%s', 'main').split('\n');
    expect(parents!.split(' ')).toHaveLength(2);
    expect(subject).toBe(`chore(release): promote v${version} to production`);
    git(origin, 'merge-base', '--is-ancestor', `v${version}`, 'main');
    expect({ branch: git(work, 'branch', '--show-current'), head: git(work, 'rev-parse', 'HEAD') }).toEqual(before);
    expect(git(work, 'worktree', 'list').split('\n')).toHaveLength(1);
    // Twice is harmless: the tag is already on main.
    expect(await mergeForPromotion({ path: work, mainBranch: 'main' }, version, () => undefined)).toBe(
      `v${version} already on main`,
    );
  });

  it('stops on a conflict with nothing pushed, and says so', async () => {
    const { work, origin, version } = await repositoryWithNewRelease();
    // Someone committed a conflicting change straight to main on the remote.
    const other = mkdtempSync(path.join(os.tmpdir(), 'cockpit-promote-other-'));
    git(other, 'clone', '--quiet', '--branch', 'main', origin, '.');
    writeFileSync(path.join(other, 'package.json'), '{ "conflict": true }\n');
    git(other, '-c', 'user.name=Other', '-c', 'user.email=o@example.com', 'commit', '--quiet', '-am', 'hotfix on main');
    git(other, 'push', '--quiet', 'origin', 'main');
    const remoteMain = git(origin, 'rev-parse', 'main');
    await expect(mergeForPromotion({ path: work, mainBranch: 'main' }, version, () => undefined)).rejects.toThrow(
      /Promoting v\d+\.\d+\.\d+ of notify-service stopped: .*Nothing was pushed; main on origin is unchanged\./,
    );
    expect(git(origin, 'rev-parse', 'main')).toBe(remoteMain);
    expect(git(work, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('refuses a version that has no tag', async () => {
    const { work } = await repositoryWithNewRelease();
    await expect(mergeForPromotion({ path: work, mainBranch: 'main' }, '9.9.9', () => undefined)).rejects.toThrow(
      'notify-service has no tag v9.9.9: cut the release before promoting it.',
    );
  });
});
