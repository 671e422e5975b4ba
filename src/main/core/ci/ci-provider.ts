/**
 * CI awareness (R4): for a tag or commit, the state of its CI run and whether its image exists.
 * Providers: GitHub Actions over the REST API (checked with zod), or none.
 */
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { CiStatus } from '../../../shared/contract';

export interface CiQuery {
  /** `owner/name` of the repository. */
  repository: string;
  /** A tag or commit. */
  ref: string;
  /** A container image reference without tag, e.g. `ghcr.io/org/service`. */
  image?: string;
}

export interface CiProvider {
  status(query: CiQuery): Promise<CiStatus>;
}

/** The provider for a platform without CI integration. */
export const noCiProvider: CiProvider = {
  status: async ({ ref }) => ({
    provider: 'none',
    ref,
    state: 'none',
    checks: [],
    detail: 'No CI provider is configured for this platform.',
  }),
};

const CheckRuns = z.object({
  total_count: z.number(),
  check_runs: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      conclusion: z.string().nullable(),
      head_sha: z.string(),
      html_url: z.string().nullable().optional(),
    }),
  ),
});

const PackageVersions = z.array(
  z.object({
    id: z.number(),
    name: z.string(),
    metadata: z.object({ container: z.object({ tags: z.array(z.string()) }).optional() }).optional(),
  }),
);

export interface GitHubOptions {
  apiUrl: string;
  /** Reads the token from the vault when a request needs it. */
  token: () => Promise<string | undefined>;
  packageOwnerType: 'user' | 'org';
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  isHostAllowed?: (hostname: string) => boolean;
}

/** GitHub Actions: check runs of the ref's commit, and the GHCR package version carrying the tag. */
export function gitHubProvider(options: GitHubOptions): CiProvider {
  const timeoutMs = options.timeoutMs ?? 5_000;

  const get = async <T>(
    pathname: string,
    schema: z.ZodType<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; reason: string; status?: number }> => {
    const url = new URL(
      pathname.replace(/^\//, ''),
      options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
    );
    if (options.isHostAllowed && !options.isHostAllowed(url.hostname))
      return { ok: false, reason: `${url.hostname} is outside the allowed hosts` };
    const token = await options.token();
    try {
      const response = await request(url, {
        method: 'GET',
        dispatcher: options.dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'release-cockpit',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      });
      const text = await response.body.text();
      if (response.statusCode === 404) return { ok: false, status: 404, reason: 'not found' };
      if (response.statusCode === 401 || response.statusCode === 403) {
        return {
          ok: false,
          status: response.statusCode,
          reason: 'GitHub refused the token: check github-token in Settings',
        };
      }
      if (response.statusCode >= 400)
        return { ok: false, status: response.statusCode, reason: `GitHub answered HTTP ${response.statusCode}` };
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, reason: 'GitHub answered in an unexpected shape' };
    } catch (error) {
      return { ok: false, reason: `GitHub could not be reached (${(error as Error).message})` };
    }
  };

  return {
    async status({ repository, ref, image }) {
      const runs = await get(
        `/repos/${repository}/commits/${encodeURIComponent(ref)}/check-runs?per_page=100`,
        CheckRuns,
      );
      if (!runs.ok) {
        return {
          provider: 'github',
          ref,
          state: 'unknown',
          checks: [],
          detail: runs.status === 404 ? `${ref} is not on GitHub (${repository})` : runs.reason,
        };
      }
      const checks = runs.value.check_runs.map((run) => ({
        name: run.name,
        status: run.status,
        conclusion: run.conclusion ?? undefined,
        url: run.html_url ?? undefined,
      }));
      const commit = runs.value.check_runs[0]?.head_sha;
      const state =
        checks.length === 0
          ? 'pending'
          : checks.some((check) => check.status !== 'completed')
            ? 'pending'
            : checks.every((check) => ['success', 'neutral', 'skipped'].includes(check.conclusion ?? ''))
              ? 'success'
              : 'failure';
      return {
        provider: 'github',
        ref,
        commit,
        state,
        checks,
        image: image ? await imageStatus(image, ref) : undefined,
      };
    },
  };

  async function imageStatus(image: string, tag: string): Promise<NonNullable<CiStatus['image']>> {
    const match = /^ghcr\.io\/([^/]+)\/(.+)$/.exec(image);
    const reference = `${image}:${tag}`;
    if (!match) return { reference, detail: 'Only ghcr.io images can be checked.' };
    const [, owner, name] = match;
    const scope = options.packageOwnerType === 'org' ? 'orgs' : 'users';
    const versions = await get(
      `/${scope}/${owner}/packages/container/${encodeURIComponent(name!)}/versions?per_page=100`,
      PackageVersions,
    );
    if (!versions.ok)
      return { reference, detail: versions.status === 404 ? 'The package does not exist on GHCR.' : versions.reason };
    return { reference, exists: versions.value.some((version) => version.metadata?.container?.tags.includes(tag)) };
  }
}
