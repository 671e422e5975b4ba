/**
 * A repository's own config never runs a program, whatever the cockpit does with it: each
 * program-running key, one at a time, in a real repository with a real bare remote. A marker file
 * that every poisoned program would create proves that nothing ran.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoServices } from '../../../../src/main/core/demo/catalog';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../../../src/main/core/demo/repos';
import { mergeForPromotion } from '../../../../src/main/core/deploy/promotion';
import { runGit } from '../../../../src/main/core/git/hardened-git';
import { readRepoState } from '../../../../src/main/core/git/repo-state';
import { Ledger } from '../../../../src/main/core/ledger/ledger';
import { syncLedgerMirror } from '../../../../src/main/core/ledger/mirror';
import { Platform } from '../../../../src/main/core/platform/schema';
import { ReleaseService } from '../../../../src/main/core/release/release-service';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { runCockpit } from '../../../helpers/cockpit-cli';
import { stepEntry } from '../ledger/ledger-builder';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const service = demoServices.find((candidate) => candidate.id === 'notify-service')!;
let template: { work: string; origin: string };

beforeAll(async () => {
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-poison-template-')));
  await ensureServiceRepos(layout, service, 'export {};\n', new Date('2026-11-20T12:00:00Z'));
  template = { work: layout.work(service.id), origin: layout.origin(service.id) };
});

/** A fresh copy of the service's repository and its bare origin, and a marker no program has made. */
function freshRepository() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-poison-'));
  const work = path.join(root, 'work');
  const origin = path.join(root, 'origin.git');
  cpSync(template.work, work, { recursive: true });
  cpSync(template.origin, origin, { recursive: true });
  git(work, 'remote', 'set-url', 'origin', origin);
  const marker = path.join(root, 'ran');
  const program = path.join(root, 'evil.sh');
  writeFileSync(program, `#!/bin/sh\ntouch '${marker}'\ncat\n`);
  chmodSync(program, 0o755);
  return { root, work, origin, marker, program };
}

function platformFor(work: string) {
  return Platform.parse({
    version: 1,
    id: 'poison',
    name: 'Poison',
    environments: [
      { id: 'staging', name: 'Staging', branch: 'develop' },
      { id: 'production', name: 'Production', branch: 'main', protected: true },
    ],
    services: [
      {
        id: service.id,
        name: service.id,
        repo: { path: work },
        environments: {
          staging: { url: 'http://127.0.0.1:1', deploy: { provider: 'command', command: ['true'] } },
          production: { url: 'http://127.0.0.1:2', deploy: { provider: 'command', command: ['true'] } },
        },
      },
    ],
  });
}

/** Each key the repository's own config may not set, with what makes git reach for it. */
const refusedKeys: { key: string; value: (program: string) => string; attributes?: string }[] = [
  { key: 'credential.helper', value: (program) => `!${program}` },
  { key: 'credential.https://example.com.helper', value: (program) => `!${program}` },
  { key: 'core.sshCommand', value: (program) => program },
  { key: 'core.askPass', value: (program) => program },
  { key: 'core.pager', value: (program) => program },
  { key: 'gpg.program', value: (program) => program },
  { key: 'gpg.ssh.program', value: (program) => program },
  { key: 'filter.evil.clean', value: (program) => program, attributes: '* filter=evil\n' },
  { key: 'filter.evil.smudge', value: (program) => program, attributes: '* filter=evil\n' },
  { key: 'merge.evil.driver', value: (program) => program, attributes: '* merge=evil\n' },
  { key: 'diff.evil.textconv', value: (program) => program, attributes: '* diff=evil\n' },
  { key: 'diff.external', value: (program) => program },
  { key: 'remote.origin.uploadpack', value: (program) => program },
  { key: 'remote.origin.receivepack', value: (program) => program },
];

describe('a repository whose own config sets a program-running key', () => {
  it.each(refusedKeys)('is refused, naming $key, by status, plan, preview, cut and promotion', async (poison) => {
    const repo = freshRepository();
    git(repo.work, 'config', poison.key, poison.value(repo.program));
    if (poison.attributes) writeFileSync(path.join(repo.work, '.git', 'info', 'attributes'), poison.attributes);
    const headBefore = git(repo.work, 'rev-parse', 'HEAD');
    const tagsBefore = git(repo.origin, 'tag', '--list');

    const state = await readRepoState({
      path: repo.work,
      mainBranch: 'main',
      developBranch: 'develop',
      versionFile: 'package.json',
    });
    expect(state.error).toContain(poison.key.toLowerCase());
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    const refusal = { code: 'REPO_UNSAFE', message: expect.stringContaining('--unset-all') };
    await expect(releases.plan(service.id)).rejects.toMatchObject(refusal);
    await expect(releases.preview(service.id, 'patch')).rejects.toMatchObject(refusal);
    await expect(releases.cut(service.id, 'patch')).rejects.toMatchObject(refusal);
    await expect(
      mergeForPromotion({ path: repo.work, mainBranch: 'main' }, service.releases.at(-1)!.version, () => undefined),
    ).rejects.toMatchObject(refusal);

    expect(existsSync(repo.marker)).toBe(false);
    expect(git(repo.work, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(git(repo.origin, 'tag', '--list')).toBe(tagsBefore);
  });

  it('is refused when the key comes from a file the repository config includes', async () => {
    const repo = freshRepository();
    writeFileSync(path.join(repo.root, 'included.cfg'), `[core]\n\tsshCommand = ${repo.program}\n`);
    git(repo.work, 'config', 'include.path', path.join(repo.root, 'included.cfg'));
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    await expect(releases.preview(service.id, 'patch')).rejects.toMatchObject({
      code: 'REPO_UNSAFE',
      message: expect.stringContaining(`core.sshcommand in ${path.join(repo.root, 'included.cfg')}`),
    });
    expect(existsSync(repo.marker)).toBe(false);
  });

  it('is checked again when its config changes after a first, clean use', async () => {
    const repo = freshRepository();
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    await releases.plan(service.id);
    git(repo.work, 'config', 'gpg.program', repo.program);
    git(repo.work, 'config', 'commit.gpgSign', 'true');
    await expect(releases.cut(service.id, 'patch')).rejects.toMatchObject({ code: 'REPO_UNSAFE' });
    expect(existsSync(repo.marker)).toBe(false);
  });

  const appearing = [
    {
      what: 'a file its config includes',
      setting: ['include.path', '../later.cfg'],
      file: (work: string) => path.join(work, 'later.cfg'),
      text: (program: string) => `[core]\n\tsshCommand = ${program}\n`,
    },
    {
      what: 'a worktree config',
      setting: ['extensions.worktreeConfig', 'true'],
      file: (work: string) => path.join(work, '.git', 'config.worktree'),
      text: (program: string) => `[gpg]\n\tprogram = ${program}\n`,
    },
  ];
  for (const { what, setting, file, text } of appearing) {
    it(`is checked again when ${what} appears after a first, clean use`, async () => {
      const repo = freshRepository();
      git(repo.work, 'config', ...setting);
      const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
      await releases.plan(service.id);
      writeFileSync(file(repo.work), text(repo.program));
      await expect(releases.preview(service.id, 'patch')).rejects.toMatchObject({ code: 'REPO_UNSAFE' });
      expect(existsSync(repo.marker)).toBe(false);
    });
  }

  it('is refused by `cockpit release cut --dry-run`, which says which key and how to remove it', async () => {
    const repo = freshRepository();
    git(repo.work, 'config', 'remote.origin.uploadpack', repo.program);
    const result = await runCockpit(['release', 'cut', '-', 'patch', '--repo', repo.work, '--dry-run'], {
      ...process.env,
      COCKPIT_DATA_DIR: temporaryDataDir(),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('sets remote.origin.uploadpack in .git/config');
    expect(result.stderr).toContain(`git config --file "${path.join(repo.work, '.git', 'config')}" --unset-all`);
    expect(existsSync(repo.marker)).toBe(false);
  });

  it('refuses a poisoned clone of the ledger mirror before fetching from it', async () => {
    const mirror = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-poison-mirror-')), 'mirror.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', mirror]);
    const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-poison-laptop-'));
    const ledger = new Ledger({
      folder: path.join(root, 'ledger'),
      platformId: 'poison',
      actor: { name: 'A', source: 'os' },
    });
    await ledger.append([stepEntry(1)]);
    const settings = { repo: mirror, branch: 'ledger', file: 'poison.jsonl' };
    const clone = path.join(root, 'mirror');
    await syncLedgerMirror(ledger, settings, clone);
    const marker = path.join(root, 'ran');
    git(clone, 'config', 'core.sshCommand', `touch ${marker}`);
    git(clone, 'config', 'remote.origin.uploadpack', `touch ${marker}; git-upload-pack`);
    await expect(syncLedgerMirror(ledger, settings, clone)).rejects.toMatchObject({ code: 'REPO_UNSAFE' });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('what the cockpit overrides on every call', () => {
  const originalHome = process.env.HOME;
  afterEach(() => {
    process.env.HOME = originalHome;
  });

  it('runs no hook and no fsmonitor of the repository, and still cuts and pushes the release', async () => {
    const repo = freshRepository();
    for (const hook of ['pre-commit', 'post-commit', 'pre-push', 'reference-transaction', 'post-checkout']) {
      writeFileSync(path.join(repo.work, '.git', 'hooks', hook), `#!/bin/sh\ntouch '${repo.marker}'\n`);
      chmodSync(path.join(repo.work, '.git', 'hooks', hook), 0o755);
    }
    git(repo.work, 'config', 'core.fsmonitor', repo.program);
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    const result = await releases.cut(service.id, 'patch');
    expect(git(repo.origin, 'tag', '--list', result.tag)).toBe(result.tag);
    expect(existsSync(repo.marker)).toBe(false);
  });

  it('runs no filter, diff or merge driver named in the user’s own config either', async () => {
    const repo = freshRepository();
    const home = mkdtempSync(path.join(os.tmpdir(), 'cockpit-poison-home-'));
    writeFileSync(
      path.join(home, '.gitconfig'),
      `[user]\n\tname = Release Manager\n\temail = rm@example.com\n` +
        `[filter "lfsish"]\n\tclean = ${repo.program}\n\tsmudge = ${repo.program}\n\trequired = true\n` +
        `[diff "lfsish"]\n\ttextconv = ${repo.program}\n\tcommand = ${repo.program}\n` +
        `[merge "lfsish"]\n\tdriver = ${repo.program}\n`,
    );
    process.env.HOME = home;
    writeFileSync(path.join(repo.work, '.gitattributes'), '*.json filter=lfsish diff=lfsish merge=lfsish\n');
    git(repo.work, 'add', '.gitattributes');
    execFileSync('git', ['commit', '--quiet', '-m', 'chore: attributes'], {
      cwd: repo.work,
      env: { ...process.env, HOME: originalHome },
    });
    writeFileSync(path.join(repo.work, 'package.json'), readFileSync(path.join(repo.work, 'package.json')));
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    await releases.cut(service.id, 'patch');
    await runGit(['diff', 'HEAD~1', 'HEAD'], { cwd: repo.work });
    await runGit(['show', 'HEAD'], { cwd: repo.work });
    expect(existsSync(repo.marker)).toBe(false);
  });

  it('keeps the user’s own signing settings: release commits and tags are signed with their SSH key', async () => {
    const repo = freshRepository();
    const home = mkdtempSync(path.join(os.tmpdir(), 'cockpit-signing-home-'));
    const key = path.join(home, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rm@example.com', '-f', key]);
    const publicKey = readFileSync(`${key}.pub`, 'utf8').trim();
    mkdirSync(path.join(home, '.ssh'));
    writeFileSync(path.join(home, 'allowed_signers'), `rm@example.com ${publicKey}\n`);
    writeFileSync(
      path.join(home, '.gitconfig'),
      `[user]\n\tname = Release Manager\n\temail = rm@example.com\n\tsigningkey = ${key}\n` +
        `[gpg]\n\tformat = ssh\n[gpg "ssh"]\n\tallowedSignersFile = ${path.join(home, 'allowed_signers')}\n` +
        `[commit]\n\tgpgSign = true\n[tag]\n\tgpgSign = true\n`,
    );
    process.env.HOME = home;
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    const result = await releases.cut(service.id, 'patch');
    const env = { ...process.env, HOME: home };
    expect(
      execFileSync('git', ['verify-commit', '--raw', 'HEAD'], { cwd: repo.work, env, encoding: 'utf8', stdio: 'pipe' }),
    ).toBe('');
    const tagCheck = execFileSync('git', ['verify-tag', '--raw', result.tag], {
      cwd: repo.work,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(tagCheck).toBe('');
    expect(git(repo.origin, 'cat-file', '-p', result.tag)).toContain('-----BEGIN SSH SIGNATURE-----');
  });
});

describe('a release cut that fails after its first write', () => {
  it('puts package.json, the index and the branch back as they were', async () => {
    const repo = freshRepository();
    const home = mkdtempSync(path.join(os.tmpdir(), 'cockpit-failing-sign-home-'));
    writeFileSync(
      path.join(home, '.gitconfig'),
      `[user]\n\tname = Release Manager\n\temail = rm@example.com\n\tsigningkey = ${path.join(home, 'missing-key')}\n` +
        `[gpg]\n\tformat = ssh\n[commit]\n\tgpgSign = true\n`,
    );
    const originalHome = process.env.HOME;
    process.env.HOME = home;
    try {
      const packageBefore = readFileSync(path.join(repo.work, 'package.json'), 'utf8');
      const headBefore = git(repo.work, 'rev-parse', 'HEAD');
      const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
      await expect(releases.cut(service.id, 'patch')).rejects.toMatchObject({ code: 'GIT_FAILED' });
      expect(readFileSync(path.join(repo.work, 'package.json'), 'utf8')).toBe(packageBefore);
      expect(git(repo.work, 'status', '--porcelain')).toBe('');
      expect(git(repo.work, 'rev-parse', 'HEAD')).toBe(headBefore);
      expect(git(repo.work, 'tag', '--list', 'v*')).toBe(git(repo.origin, 'tag', '--list', 'v*'));
    } finally {
      process.env.HOME = originalHome;
    }
  });
});

describe('values from input on their way to git', () => {
  const payloads = [
    '--output=OUT',
    '-c',
    '--upload-pack=touch MARK',
    '-uMARK',
    '--exec=touch MARK',
    'ext::sh -c touch% MARK',
    'HEAD\0--output=OUT',
    'HEAD\n--output=OUT',
    '-OOUT',
  ];

  it.each(payloads)('never lets %j into an option position (release notes, commit lists)', async (payload) => {
    const repo = freshRepository();
    const value = payload.replaceAll('MARK', repo.marker).replaceAll('OUT', path.join(repo.root, 'written'));
    const releases = new ReleaseService({ platform: platformFor(repo.work), dataDir: temporaryDataDir() });
    for (const [from, to] of [
      [value, 'HEAD'],
      ['v1.0.0', value],
    ]) {
      await expect(releases.notes(service.id, from!, to!)).rejects.toMatchObject({
        code: expect.stringMatching(/^(BAD_INPUT|GIT_FAILED)$/),
      });
    }
    expect(existsSync(repo.marker)).toBe(false);
    expect(existsSync(path.join(repo.root, 'written'))).toBe(false);
  });
});
