/**
 * `cockpit release plan --repo <clone> --json` on a repository of 3,500 commits and no tag at all
 * (the whole history is in the plan), timed as a whole command — process start, TypeScript load,
 * git and the parse — over several runs. The baseline measured in the same run is the same CLI
 * answering `--help` (its start-up alone): the figure that matters is the plan's own share.
 * The limit is the issue's: under 1.5 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile, type BenchResult } from './stats';

const commits = 3_500;
const runs = 5;
const limitMs = 1_500;
const cli = path.resolve(import.meta.dirname, '../bin/cockpit.js');

export async function releasePlanBench(): Promise<BenchResult> {
  const repo = tagLessRepository();
  const time = (args: string[]) => {
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const elapsed = performance.now() - started;
    if (run.status !== 0) throw new Error(`cockpit ${args.join(' ')} failed: ${run.stderr}`);
    return { elapsed, stdout: run.stdout };
  };
  time(['release', 'plan', '--repo', repo, '--json']); // warm the file cache
  const plan: number[] = [];
  const startUp: number[] = [];
  let listed = 0;
  for (let run = 0; run < runs; run++) {
    startUp.push(time(['--help']).elapsed);
    const { elapsed, stdout } = time(['release', 'plan', '--repo', repo, '--json']);
    plan.push(elapsed);
    listed = (JSON.parse(stdout) as { commits: unknown[] }).commits.length;
  }
  const planMs = percentile(plan, 50);
  const startUpMs = percentile(startUp, 50);
  return {
    name: `cockpit release plan --repo --json, ${commits} commits, no tag (${runs} runs)`,
    figures: {
      'commits in the plan': listed,
      'plan p50 ms': Math.round(planMs),
      'plan max ms': Math.round(Math.max(...plan)),
      'start-up (--help) p50 ms': Math.round(startUpMs),
      'plan minus start-up ms': Math.round(planMs - startUpMs),
      'plan / limit': Number((planMs / limitMs).toFixed(2)),
    },
    verdicts: [
      { target: `every commit in the plan (${listed} of ${commits + 1})`, pass: listed === commits + 1 },
      { target: `plan p50 < ${limitMs} ms (${Math.round(planMs)} ms)`, pass: planMs < limitMs },
    ],
  };
}

/**
 * A repository shaped like a busy project's: conventional and plain commits with bodies and
 * footers, a merge every 25 commits, a package.json — and no tag.
 */
function tagLessRepository(): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-release-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '--quiet', '--initial-branch=main');
  const types = ['feat', 'fix', 'chore(deps)', 'docs', 'perf', 'refactor', 'test', 'Update'];
  const stream: string[] = [];
  let mark = 0;
  let mainline = 0;
  const commit = (branch: string, message: string, parents: number[], second = 0) => {
    mark++;
    const body = Buffer.byteLength(message);
    stream.push(
      `commit refs/heads/${branch}`,
      `mark :${mark}`,
      `committer Dev <dev@example.com> ${1_700_000_000 + mark * 60} +0000`,
      `data ${body}`,
      message,
      ...parents.filter(Boolean).map((parent, index) => `${index === 0 ? 'from' : 'merge'} :${parent}`),
      ...(second ? [`merge :${second}`] : []),
      `M 644 inline file${mark % 40}.txt`,
      `data ${String(mark).length + 1}`,
      `${mark}`,
      '',
    );
    return mark;
  };
  for (let index = 0; mark < commits; index++) {
    const type = types[index % types.length]!;
    const header = type === 'Update' ? `Update the docs, take ${index}` : `${type}: change ${index} (#${index + 1000})`;
    const footer = index % 97 === 0 ? '\n\nBREAKING CHANGE: the old option is gone' : '';
    const message = `${header}\n\nWhy: the reason for change ${index}, in a few words.\nRefs #${index}${footer}\n`;
    if (index % 25 === 24) {
      const side = commit('topic', `fix: side change ${index}\n`, [mainline]);
      mainline = commit(
        'main',
        `Merge pull request #${index} from team/topic-${index}\n\n${header}\n`,
        [mainline],
        side,
      );
    } else {
      mainline = commit('main', message, [mainline]);
    }
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: `${stream.join('\n')}\n` });
  git('checkout', '--quiet', '--force', 'main');
  writeFileSync(path.join(repo, 'package.json'), '{ "name": "busy", "version": "1.0.0" }\n');
  git('add', 'package.json');
  git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'chore: package.json');
  return repo;
}
