/**
 * `npx tsx scripts/release-agreement.ts <clone> [--last 40] [--branch master]`: checks the cockpit's
 * release plan against a project that releases with semantic-release, whose tags record the bump
 * semantic-release computed. For each of the clone's last stable version tags, the plan is computed
 * the way `cockpit release plan` computes it (the real ReleaseService), in a scratch bare clone
 * whose release branch is put at the tag's commit and whose tags are
 *   - "at the time": every version tag that existed then (reachable from the tag's commit, not
 *     newer than it) — what a user of the cockpit really had;
 *   - "previous only": only the previous stable release's tag.
 * The suggested bump is compared with the bump the project made (previous stable release → tag).
 * The clone is read, never changed; the scratch copy shares its objects and is deleted at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gitIn } from '../src/main/core/git/repo-state';
import { versionTags, type VersionTag } from '../src/main/core/git/version-tags';
import { effectiveCommits } from '../src/main/core/release/conventional-commit';
import { commitsBetween } from '../src/main/core/release/release-repo';
import { ReleaseService } from '../src/main/core/release/release-service';
import { repositoryPlatform } from '../src/main/core/release/repository-platform';
import { bumpBetween, commitBump } from '../src/main/core/release/version-plan';

const usage = `Usage: npx tsx scripts/release-agreement.ts <clone> [--last 40] [--branch <name>]
  <clone>   a clone (or bare mirror) of a project that releases with semantic-release
  --last    how many of its latest stable version tags to check (default 40)
  --branch  the release branch name the scratch copy uses (default: the clone's HEAD branch)
`;

interface Row {
  tag: string;
  previous: string;
  actual: string;
  atTheTime: { base: string; bump: string; deciding: string };
  previousOnly: { bump: string; deciding: string };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { last: { type: 'string', default: '40' }, branch: { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [clone] = positionals;
  const last = Number(values.last);
  if (values.help || !clone || positionals.length > 1 || !Number.isInteger(last) || last < 1) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  const source = path.resolve(clone);
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  const branch = values.branch ?? git(source, 'symbolic-ref', '--short', 'HEAD');
  const all = await versionTags(gitIn(source));
  const checked = all.filter((tag) => !tag.isPrerelease).slice(0, last);

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'release-agreement-'));
  try {
    git(scratch, 'clone', '--quiet', '--bare', '--shared', '--', source, 'repo');
    const repo = path.join(scratch, 'repo');
    git(repo, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`);
    const objects = tagObjects(repo);
    const platform = repositoryPlatform(repo, branch);
    const serviceId = platform.services[0]!.id;
    const service = new ReleaseService({ platform, dataDir: scratch });
    const rows: Row[] = [];
    for (const tag of checked) {
      const existing = (await versionTags(gitIn(source), tag.name)).filter(
        (candidate) => candidate.name !== tag.name && Date.parse(candidate.date) <= Date.parse(tag.date),
      );
      const previous = existing.find((candidate) => !candidate.isPrerelease);
      const actual = previous ? (bumpBetween(previous.version, tag.version) ?? 'none') : 'first';
      const planned = async (tags: VersionTag[]) => {
        setRefs(repo, objects, branch, tag.commit, tags);
        const plan = await service.plan(serviceId);
        const bump = plan.suggestedBump ?? 'none';
        const deciding = bump === actual ? '' : await decidingCommit(repo, plan.latestTag, branch, bump, actual);
        return { base: plan.latestTag ?? 'none', bump, deciding };
      };
      rows.push({
        tag: tag.name,
        previous: previous?.name ?? 'none',
        actual,
        atTheTime: await planned(existing),
        previousOnly: await planned(previous ? [previous] : []),
      });
    }
    printTable(path.basename(source.replace(/\/(repo|\.git)\/?$/, '')), rows);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Each tag's own object (an annotated tag stays annotated), by tag name. */
function tagObjects(repo: string): Map<string, string> {
  const lines = execFileSync('git', ['for-each-ref', '--format=%(refname:strip=2) %(objectname)', 'refs/tags/'], {
    cwd: repo,
    encoding: 'utf8',
  });
  return new Map(
    lines
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
}

/** The scratch copy's tags are exactly `tags`, and its release branch is at `commit`. */
function setRefs(repo: string, objects: Map<string, string>, branch: string, commit: string, tags: VersionTag[]): void {
  const wanted = new Set(tags.map((tag) => tag.name));
  const commands = [
    ...[...tagObjects(repo).keys()].filter((name) => !wanted.has(name)).map((name) => `delete refs/tags/${name}`),
    ...tags.map((tag) => `update refs/tags/${tag.name} ${objects.get(tag.name) ?? tag.commit}`),
    `update refs/heads/${branch} ${commit}`,
  ];
  execFileSync('git', ['update-ref', '--stdin'], { cwd: repo, input: `${commands.join('\n')}\n` });
}

/**
 * What explains a disagreement: the first commit of `from..to` that calls for our bump — or, when
 * we suggest nothing, the commit that called for the project's bump and why we did not count it.
 */
async function decidingCommit(
  repo: string,
  from: string | undefined,
  to: string,
  bump: string,
  actual: string,
): Promise<string> {
  const all = await commitsBetween(repo, from, to);
  const counted = effectiveCommits(all);
  const wanted = bump === 'none' ? actual : bump;
  const found = (bump === 'none' ? all : counted).find((commit) => commitBump(commit) === wanted);
  if (!found) return '';
  const why =
    bump === 'none' && !counted.includes(found)
      ? ' (not counted: it cancels out with the commit it reverts, or is a release commit)'
      : '';
  return `${found.hash.slice(0, 7)} ${found.subject}${why}`;
}

function printTable(name: string, rows: Row[]): void {
  // A first release has no previous version to bump from (semantic-release makes it 1.0.0).
  const compared = rows.filter((row) => row.actual !== 'first');
  const agreeAtTheTime = compared.filter((row) => row.atTheTime.bump === row.actual).length;
  const agreePreviousOnly = compared.filter((row) => row.previousOnly.bump === row.actual).length;
  const header = ['tag', 'previous', 'made', 'at the time (base → bump)', 'previous only'];
  const lines = rows.map((row) => [
    row.tag,
    row.previous,
    row.actual,
    `${row.atTheTime.base} → ${row.atTheTime.bump}${row.atTheTime.bump === row.actual ? '' : '  ✗'}`,
    `${row.previousOnly.bump}${row.previousOnly.bump === row.actual ? '' : '  ✗'}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const out = [
    `${name}: the last ${rows.length} stable tags`,
    format(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(format),
    '',
    `Agree with the tags of the time: ${agreeAtTheTime} of ${compared.length}; with only the previous tag: ${agreePreviousOnly} of ${compared.length}.` +
      (compared.length < rows.length ? ` (The first release, ${rows.at(-1)!.tag}, has no bump to compare.)` : ''),
  ];
  const disagreements = compared.filter(
    (row) => row.atTheTime.bump !== row.actual || row.previousOnly.bump !== row.actual,
  );
  if (disagreements.length > 0) {
    out.push('Disagreements (the commit that decided our bump):');
    for (const row of disagreements) {
      out.push(
        `  ${row.tag}: made ${row.actual}, ours ${row.atTheTime.bump} from ${row.atTheTime.base}` +
          (row.atTheTime.deciding ? ` — ${row.atTheTime.deciding}` : ''),
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

process.exitCode = await main();
