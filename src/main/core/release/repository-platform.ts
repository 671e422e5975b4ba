/**
 * A one-service platform around a local repository, released from `branch`: what `--repo <path>`
 * opens, and what the agreement script plans with. Its one environment deploys nothing.
 */
import path from 'node:path';
import { Platform } from '../platform/schema';

export function repositoryPlatform(repoPath: string, branch: string): Platform {
  const id =
    path
      .basename(repoPath)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^[^a-z]+/, '') || 'repository';
  return Platform.parse({
    version: 1,
    id: 'local',
    name: 'Local repository',
    environments: [{ id: 'local', name: 'Local', branch }],
    services: [
      {
        id,
        name: path.basename(repoPath),
        repo: { path: repoPath, developBranch: branch, mainBranch: branch },
        environments: { local: { url: 'http://127.0.0.1:1', deploy: { provider: 'command', command: ['true'] } } },
      },
    ],
  });
}
