/**
 * The demo's git repositories: a bare "origin" per service built in one fast-import, a working
 * clone on `develop`, and a checked-out clone per deployed release.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../git/hardened-git';
import type { DemoService } from './catalog';
import { historyStream } from './history';
import type { DemoLayout } from './layout';

/** Creates the origin and the working clone of a service, unless they already exist. */
export async function ensureServiceRepos(
  layout: DemoLayout,
  service: DemoService,
  serviceProgram: string,
  now: Date,
): Promise<void> {
  const origin = layout.origin(service.id);
  if (!existsSync(path.join(origin, 'HEAD'))) {
    await rm(origin, { recursive: true, force: true });
    await mkdir(origin, { recursive: true });
    await runGit(['init', '--quiet', '--bare', '--initial-branch=main', origin]);
    await runGit(['fast-import', '--quiet'], {
      cwd: origin,
      input: historyStream(service, { serviceProgram, newestCommitAt: new Date(now.getTime() - 3_600_000) }),
    });
  }
  const work = layout.work(service.id);
  if (!existsSync(path.join(work, '.git'))) {
    await rm(work, { recursive: true, force: true });
    await mkdir(path.dirname(work), { recursive: true });
    await runGit(['clone', '--quiet', '--branch', 'develop', '--', origin, work]);
    await runGit(['branch', '--quiet', '--track', 'main', 'origin/main'], { cwd: work });
    await runGit(['config', 'user.name', 'Demo Release Manager'], { cwd: work });
    await runGit(['config', 'user.email', 'release-manager@penpal.example'], { cwd: work });
  }
}

/** Whether the origin has the tag `v<version>`. */
export async function hasReleaseTag(layout: DemoLayout, serviceId: string, version: string): Promise<boolean> {
  try {
    await runGit(['rev-parse', '--quiet', '--verify', `refs/tags/v${version}^{commit}`], {
      cwd: layout.origin(serviceId),
    });
    return true;
  } catch {
    return false;
  }
}

/** Checks out `v<version>` into its release folder (once) and returns the folder and commit. */
export async function checkoutRelease(
  layout: DemoLayout,
  environment: string,
  serviceId: string,
  version: string,
): Promise<{ folder: string; commit: string }> {
  const folder = layout.release(environment, serviceId, version);
  if (!existsSync(path.join(folder, '.git'))) {
    await rm(folder, { recursive: true, force: true });
    await mkdir(path.dirname(folder), { recursive: true });
    await runGit([
      'clone',
      '--quiet',
      '--branch',
      `v${version}`,
      '--single-branch',
      '--',
      layout.origin(serviceId),
      folder,
    ]);
  }
  const commit = (await runGit(['rev-parse', 'HEAD'], { cwd: folder })).trim();
  return { folder, commit };
}
