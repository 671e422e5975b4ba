/**
 * A demo service's whole git history as one `git fast-import` stream: a scaffold commit, the
 * conventional commits of each release, `chore(release): vX.Y.Z` commits bumping package.json and
 * its lockfile, annotated tags, `main` at the latest tag and `develop` ahead of it.
 * Pure: the same input gives the same stream.
 */
import type { DemoService } from './catalog';

export interface HistoryOptions {
  /** The service program committed in every repo (`service.mjs`). */
  serviceProgram: string;
  /** The time of the newest commit; older ones are spaced back from it. */
  newestCommitAt: Date;
}

const authors = [
  { name: 'Camille Martin', email: 'camille.martin@penpal.example' },
  { name: 'Yanis Benali', email: 'yanis.benali@penpal.example' },
  { name: 'Sofia Rossi', email: 'sofia.rossi@penpal.example' },
];
const releaseManager = { name: 'Release Manager', email: 'releases@penpal.example' };
const commitSpacingSeconds = 18 * 3600;

/** The fast-import stream that builds the service's repository. */
export function historyStream(service: DemoService, options: HistoryOptions): string {
  const out: string[] = [];
  let mark = 0;
  let previousMark = 0;
  const totalCommits =
    1 + service.releases.reduce((sum, release) => sum + release.commits.length + 1, 0) + service.unreleased.length;
  const newest = Math.floor(options.newestCommitAt.getTime() / 1000);
  let commitIndex = 0;
  const changes: string[] = [];
  let latestReleaseMark = 0;

  const commit = (message: string, files: Record<string, string>, author = authors[commitIndex % authors.length]!) => {
    const timestamp = newest - (totalCommits - 1 - commitIndex) * commitSpacingSeconds;
    commitIndex++;
    mark++;
    out.push('commit refs/heads/develop', `mark :${mark}`);
    out.push(`author ${author.name} <${author.email}> ${timestamp} +0000`);
    out.push(`committer ${author.name} <${author.email}> ${timestamp} +0000`);
    out.push(...dataBlock(`${message}\n`));
    if (previousMark > 0) out.push(`from :${previousMark}`);
    for (const [path, content] of Object.entries(files)) out.push(`M 100644 inline ${path}`, ...dataBlock(content));
    out.push('');
    previousMark = mark;
    return { mark, timestamp };
  };

  commit(`chore: scaffold ${service.id}`, {
    'package.json': packageJson(service.id, '0.0.0'),
    'package-lock.json': packageLock(service.id, '0.0.0'),
    'service.mjs': options.serviceProgram,
    'README.md': `# ${service.name}\n\nOne of the services of the demo platform.\n`,
    'CHANGES.md': changesFile(changes),
  });

  const changeCommit = (message: string) => {
    changes.push(message.split('\n')[0]!);
    commit(message, { 'CHANGES.md': changesFile(changes) });
  };

  for (const release of service.releases) {
    for (const message of release.commits) changeCommit(message);
    const { mark: releaseMark, timestamp } = commit(
      `chore(release): v${release.version}`,
      {
        'package.json': packageJson(service.id, release.version),
        'package-lock.json': packageLock(service.id, release.version),
      },
      releaseManager,
    );
    latestReleaseMark = releaseMark;
    out.push(`tag v${release.version}`, `from :${releaseMark}`);
    out.push(`tagger ${releaseManager.name} <${releaseManager.email}> ${timestamp} +0000`);
    out.push(...dataBlock(`Release v${release.version}\n`));
  }
  for (const message of service.unreleased) changeCommit(message);

  out.push('reset refs/heads/main', `from :${latestReleaseMark}`, '');
  out.push('done', '');
  return out.join('\n');
}

/** A counted data block; the content keeps its final newline, so no blank line follows it. */
function dataBlock(content: string): string[] {
  return [`data ${Buffer.byteLength(content, 'utf8')}`, content.replace(/\n$/, '')];
}

function packageJson(id: string, version: string): string {
  return `${JSON.stringify({ name: id, version, private: true, type: 'module', scripts: { start: 'node service.mjs' } }, null, 2)}\n`;
}

function packageLock(id: string, version: string): string {
  return `${JSON.stringify({ name: id, version, lockfileVersion: 3, requires: true, packages: { '': { name: id, version } } }, null, 2)}\n`;
}

function changesFile(changes: string[]): string {
  return `# Changes\n\n${changes.map((change) => `- ${change}`).join('\n')}\n`;
}
