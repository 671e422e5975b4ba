/**
 * Releases of a platform's services: plan, dry-run preview, cut (recorded in the ledger, notes
 * saved beside the data), all against the service's local repository.
 */
import path from 'node:path';
import type { CiStatus, ReleaseHistory, ReleasePlan, ReleasePreview, ReleaseResult } from '../../../shared/contract';
import { noCiProvider, type CiProvider } from '../ci/ci-provider';
import { writeFileAtomic } from '../atomic-file';
import type { ManagedRepos } from '../git/managed-repos';
import { gitIn, listCommits } from '../git/repo-state';
import { tagRecords } from '../git/version-tags';
import { CockpitError } from '../errors';
// Upward on purpose (a type only): a cut is a mutating action, recorded in the ledger before and after.
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform, PlatformService } from '../platform/schema';
import { effectiveCommits, referenceText, type ParsedCommit } from './conventional-commit';
import { formatReleaseNotes } from './release-notes';
import {
  commitsBetween,
  cutRelease,
  latestReleaseTag,
  plannedFileChanges,
  preparationChecks,
  readReleaseBase,
  versionTag,
  type ReleaseBase,
  type ReleaseRepo,
} from './release-repo';
import { nextVersion, nextVersions, suggestBump, type Bump } from './version-plan';

export interface ReleaseServiceOptions {
  platform: Platform;
  dataDir: string;
  audit?: AuditTrail;
  clock?: () => Date;
  /** Called after a cut, e.g. to refresh the matrix's repository state. */
  onReleased?: (service: string) => void;
  ci?: CiProvider;
  /** The clones the cockpit manages: made and fetched before history is read or written. */
  managedRepos?: ManagedRepos;
}

export type BatchCutOutcome =
  | { service: string; ok: true; result: ReleaseResult }
  | { service: string; ok: false; error: { code: string; message: string } };

export class ReleaseService {
  constructor(private readonly options: ReleaseServiceOptions) {}

  async plan(serviceId: string): Promise<ReleasePlan> {
    const { service, repo } = await this.locate(serviceId);
    const base = await readReleaseBase(repo);
    const [commits, recent] = await Promise.all([
      commitsBetween(repo.path, base.tag?.name, repo.branch),
      listCommits(gitIn(repo.path), repo.branch, 10),
    ]);
    const counted = effectiveCommits(commits);
    return {
      service: service.id,
      currentVersion: base.current,
      versionSource: base.source,
      latestTag: base.tag?.name,
      commits: counted.map(toPlannedCommit),
      suggestedBump: suggestBump(counted),
      nextVersions: nextVersions(base.current),
      branch: repo.branch,
      recentLog: recent.map((commit) => ({
        hash: commit.hash,
        subject: commit.subject,
        author: commit.author,
        date: commit.date,
      })),
    };
  }

  async preview(serviceId: string, bump: Bump): Promise<ReleasePreview> {
    const { service, repo } = await this.locate(serviceId);
    const base = await readReleaseBase(repo);
    const version = nextVersion(base.current, bump);
    const [checks, files, notes] = await Promise.all([
      preparationChecks(repo, version, base),
      plannedFileChanges(repo.path, base.current, version, base.source),
      this.notesFor(service, repo, version, base),
    ]);
    return {
      service: service.id,
      bump,
      currentVersion: base.current,
      versionSource: base.source,
      version,
      tag: `v${version}`,
      ...(base.source === 'package.json' ? { commitMessage: `chore(release): v${version}` } : {}),
      files: files.map(({ path: file, before, after }) => ({ path: file, before, after })),
      notes,
      checks,
      canCut: checks.every((check) => check.status !== 'fail'),
    };
  }

  async cut(serviceId: string, bump: Bump, expectedVersion?: string, branch?: string): Promise<ReleaseResult> {
    const located = await this.locate(serviceId);
    const service = located.service;
    const repo = branch ? { ...located.repo, branch } : located.repo;
    const currentVersion = (await readReleaseBase(repo)).current;
    const version = nextVersion(currentVersion, bump);
    if (expectedVersion && expectedVersion.replace(/^v/, '') !== version) {
      throw new CockpitError(
        'RELEASE_REFUSED',
        `The preview said v${expectedVersion.replace(/^v/, '')} but the repository would now become v${version}: preview again.`,
      );
    }
    const work = async () => {
      let notes = '';
      const outcome = await cutRelease(repo, bump, async (next) => (notes = await this.notesFor(service, repo, next)));
      const notesFile = path.join(
        this.options.dataDir,
        'releases',
        this.options.platform.id,
        service.id,
        `${outcome.tag}.md`,
      );
      await writeFileAtomic(notesFile, notes);
      return { service: service.id, version: outcome.version, tag: outcome.tag, commit: outcome.commit, notesFile };
    };
    const entry = {
      action: 'release.cut' as const,
      summary: `Release ${service.id} v${currentVersion} → v${version} (${bump})`,
      services: [service.id],
      versionFrom: currentVersion,
      versionTo: version,
      details: { bump, branch: repo.branch },
    };
    const result = this.options.audit ? await this.options.audit.around(entry, work) : await work();
    this.options.onReleased?.(service.id);
    return result;
  }

  /**
   * Cuts several releases one after the other, each reported on its own: a refusal or failure of
   * one does not stop the others.
   */
  async cutMany(cuts: { service: string; bump: Bump }[]): Promise<BatchCutOutcome[]> {
    const outcomes: BatchCutOutcome[] = [];
    for (const { service, bump } of cuts) {
      try {
        outcomes.push({ service, ok: true, result: await this.cut(service, bump) });
      } catch (error) {
        const code = error instanceof CockpitError ? error.code : 'INTERNAL';
        outcomes.push({ service, ok: false, error: { code, message: (error as Error).message } });
      }
    }
    return outcomes;
  }

  /**
   * Starts a hotfix: a `hotfix/X.Y.Z` branch (Z = production's patch + 1) from the tag production
   * runs, checked out in the service's repository. Commit the fix there, then cut a patch with
   * that branch as the release branch.
   */
  async startHotfix(serviceId: string, fromTag: string): Promise<{ branch: string; version: string; fromTag: string }> {
    const { repo } = await this.locate(serviceId);
    const tag = fromTag.startsWith('v') ? fromTag : `v${fromTag}`;
    const git = gitIn(repo.path);
    try {
      await git(['rev-parse', '--quiet', '--verify', `refs/tags/${tag}^{commit}`]);
    } catch {
      throw new CockpitError('NOT_FOUND', `There is no tag ${tag} in ${repo.path}: name the tag production runs.`);
    }
    if ((await git(['status', '--porcelain'])).trim()) {
      throw new CockpitError(
        'RELEASE_REFUSED',
        'The working tree has uncommitted changes: commit or stash them before starting a hotfix.',
      );
    }
    const version = nextVersion(tag, 'patch');
    const branch = `hotfix/${version}`;
    try {
      await git(['switch', '--quiet', '--create', branch, tag]);
    } catch (error) {
      throw new CockpitError('RELEASE_REFUSED', `Could not create ${branch}: ${(error as Error).message}`);
    }
    return { branch, version, fromTag: tag };
  }

  /** CI state of `ref` (the latest tag by default) and whether its image exists. */
  async ci(serviceId: string, ref?: string): Promise<CiStatus> {
    const { service, repo } = await this.locate(serviceId);
    const target = ref ?? (await latestReleaseTag(repo));
    if (!target)
      return {
        provider: 'none',
        ref: 'none',
        state: 'none',
        checks: [],
        detail: `${service.name} has no release tag yet.`,
      };
    const ci = this.options.ci ?? noCiProvider;
    const owner = this.options.platform.ci.provider === 'github' ? this.options.platform.ci.owner : '';
    return ci.status({ repository: `${owner}/${repoName(service)}`, ref: target, image: service.image });
  }

  /**
   * Release notes for the commits of `from..to` (tags or any refs). A range ending at a version
   * tag is titled with that version and dated with the tag; one ending anywhere else (`HEAD`, a
   * branch) is titled as the version it would become, dated today.
   */
  async notes(serviceId: string, from: string, to: string): Promise<string> {
    const { service, repo } = await this.locate(serviceId);
    const commits = await commitsBetween(repo.path, from, to);
    const tag = await versionTag(repo.path, to);
    if (tag) return this.formatNotes(service, tag.version, commits, tag.date.slice(0, 10));
    const bump = suggestBump(commits);
    const base = await readReleaseBase({ ...repo, branch: to });
    return this.formatNotes(service, bump ? nextVersion(base.current, bump) : 'Unreleased changes', commits);
  }

  private async notesFor(
    service: PlatformService,
    repo: ReleaseRepo,
    version: string,
    known?: ReleaseBase,
  ): Promise<string> {
    const base = known ?? (await readReleaseBase(repo));
    const commits = await commitsBetween(repo.path, base.tag?.name, repo.branch);
    return this.formatNotes(service, version, commits);
  }

  private formatNotes(service: PlatformService, title: string, commits: ParsedCommit[], date?: string): string {
    const clock = this.options.clock ?? (() => new Date());
    return formatReleaseNotes({
      title,
      date: date ?? clock().toISOString().slice(0, 10),
      commits,
      issueUrl: this.options.platform.issueUrl,
      repoName: repoName(service),
      service: service.id,
    });
  }

  /** The service's releases, newest version first: its version tags, who made them, their notes. */
  async history(serviceId: string, limit = 50): Promise<ReleaseHistory> {
    const { service, repo } = await this.locate(serviceId);
    const records = await tagRecords(gitIn(repo.path), limit);
    return {
      service: service.id,
      releases: records.map((record) => ({
        tag: record.name,
        version: record.version,
        date: record.date,
        author: record.author,
        commit: record.commit,
        notes: record.message,
      })),
    };
  }

  private async locate(serviceId: string): Promise<{ service: PlatformService; repo: ReleaseRepo }> {
    const service = this.options.platform.services.find((candidate) => candidate.id === serviceId);
    if (!service)
      throw new CockpitError('NOT_FOUND', `"${serviceId}" is not a service of ${this.options.platform.name}.`);
    const managed = this.options.managedRepos;
    if (managed?.isManaged(serviceId)) await managed.folderOf(serviceId);
    if (!service.repo.path) {
      throw new CockpitError(
        'NOT_CONFIGURED',
        `${service.name} has no repository: add repo.url (or repo.path, a clone of your own) to the platform file to release it from here.`,
      );
    }
    return {
      service,
      repo: {
        path: service.repo.path,
        branch: service.repo.developBranch,
        prereleaseBranches: service.repo.prereleaseBranches,
        versionSource: service.version.source,
      },
    };
  }
}

function repoName(service: PlatformService): string {
  const source = service.repo.url ?? service.repo.path ?? service.id;
  return path.basename(source).replace(/\.git$/, '');
}

function toPlannedCommit(commit: ParsedCommit) {
  return {
    hash: commit.hash,
    subject: commit.subject,
    author: commit.author,
    date: commit.date,
    type: commit.type,
    scope: commit.scope,
    isBreaking: commit.isBreaking,
    isConventional: commit.isConventional,
    issueRefs: commit.references.map(referenceText),
    ...(commit.isMerge ? { isMerge: true } : {}),
  };
}
