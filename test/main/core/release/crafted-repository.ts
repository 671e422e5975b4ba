/**
 * Crafted repositories for the release logic: a real git repository (branch `main`) with a real
 * bare origin, commits with exact raw messages, tags with exact dates — and a ReleaseService on
 * it, as a one-service platform.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Platform } from '../../../../src/main/core/platform/schema';
import { ReleaseService } from '../../../../src/main/core/release/release-service';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';

export interface CraftedRepository {
  work: string;
  origin: string;
  git: (...args: string[]) => string;
  /** Commits `message` verbatim (empty change unless `file` is given); returns the hash. */
  commit: (message: string, options?: { date?: string; file?: string }) => string;
  /** Tags HEAD (or `at`); annotated with a tagger date when `date` is given. */
  tag: (name: string, options?: { date?: string; at?: string }) => void;
  service: (options?: { clock?: Date; prereleaseBranches?: string[]; branch?: string }) => ReleaseService;
}

let clock = 0;

/** A repository whose package.json says `packageVersion` (none with `null`). */
export function craftedRepository(packageVersion: string | null = '1.0.0'): CraftedRepository {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cockpit-crafted-'));
  const origin = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  mkdirSync(work);
  const run = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', input, env: { ...process.env, ...env } }).trim();
  run(root, ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
  run(work, ['init', '--quiet', '--initial-branch=main']);
  run(work, ['config', 'user.name', 'Camille']);
  run(work, ['config', 'user.email', 'camille@example.com']);
  run(work, ['remote', 'add', 'origin', origin]);
  const git = (...args: string[]) => run(work, args);
  const dated = (date: string | undefined): NodeJS.ProcessEnv => {
    const when = date ?? new Date(Date.UTC(2026, 0, 1) + ++clock * 60_000).toISOString();
    return { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when };
  };
  const commit: CraftedRepository['commit'] = (message, options = {}) => {
    if (options.file) {
      writeFileSync(path.join(work, options.file), `${message}\n`);
      git('add', '--', options.file);
    }
    run(work, ['commit', '--quiet', '--allow-empty', '--cleanup=verbatim', '--file=-'], dated(options.date), message);
    return git('rev-parse', 'HEAD');
  };
  if (packageVersion !== null) {
    writeFileSync(path.join(work, 'package.json'), `{\n  "name": "crafted",\n  "version": "${packageVersion}"\n}\n`);
    git('add', 'package.json');
  }
  commit('chore: start');
  return {
    work,
    origin,
    git,
    commit,
    tag(name, options = {}) {
      const args = options.date ? ['tag', '--annotate', '--message', `Release ${name}`, name] : ['tag', name];
      run(work, options.at ? [...args, options.at] : args, dated(options.date));
    },
    service(options = {}) {
      const branch = options.branch ?? 'main';
      const platform = Platform.parse({
        version: 1,
        id: 'crafted',
        name: 'Crafted',
        issueUrl: 'https://github.com/acme/{repo}/issues/{id}',
        environments: [{ id: 'staging', name: 'Staging', branch }],
        services: [
          {
            id: 'api',
            name: 'API',
            repo: {
              path: work,
              url: 'https://github.com/acme/api.git',
              developBranch: branch,
              mainBranch: branch,
              ...(options.prereleaseBranches ? { prereleaseBranches: options.prereleaseBranches } : {}),
            },
            environments: {
              staging: { url: 'http://127.0.0.1:1', deploy: { provider: 'command', command: ['true'] } },
            },
          },
        ],
      });
      const now = options.clock ?? new Date('2026-12-01T09:00:00Z');
      return new ReleaseService({ platform, dataDir: temporaryDataDir(), clock: () => now });
    },
  };
}
