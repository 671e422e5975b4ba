/**
 * A stand-in for the GitHub REST API endpoints the cockpit reads (GitHub cannot be reached from the
 * build machines), following GitHub's documented responses: check runs for a ref
 * (`GET /repos/{owner}/{repo}/commits/{ref}/check-runs`), GHCR package versions
 * (`GET /users|orgs/{owner}/packages/container/{name}/versions`), `401 Bad credentials`,
 * `404 Not Found`. It records every request so tests can check the headers the client sends.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInCheckRun {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
}

export interface GitHubStandIn {
  url: string;
  token: string;
  /** `owner/repo` → ref → commit and its check runs. */
  refs: Map<string, Map<string, { sha: string; runs: StandInCheckRun[] }>>;
  /** `owner/name` → tags per package version. */
  packages: Map<string, string[][]>;
  requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startGitHubStandIn(token = 'ghp_standin_token_123'): Promise<GitHubStandIn> {
  const state: GitHubStandIn = {
    url: '',
    token,
    refs: new Map(),
    packages: new Map(),
    requests: [],
    close: async () => undefined,
  };
  const json = (response: import('node:http').ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
    });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    state.requests.push({ method: request.method ?? '', path: url.pathname + url.search, headers: request.headers });
    if (request.headers.authorization !== `Bearer ${state.token}`) {
      return json(response, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
    const checkRuns = /^\/repos\/([^/]+\/[^/]+)\/commits\/([^/]+)\/check-runs$/.exec(url.pathname);
    if (checkRuns) {
      const ref = state.refs.get(checkRuns[1]!)?.get(decodeURIComponent(checkRuns[2]!));
      if (!ref)
        return json(response, 404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        });
      return json(response, 200, {
        total_count: ref.runs.length,
        check_runs: ref.runs.map((run, index) => ({
          id: index + 1,
          head_sha: ref.sha,
          node_id: `CR_${index}`,
          external_id: '',
          url: `${state.url}/repos/${checkRuns[1]}/check-runs/${index + 1}`,
          html_url: `https://github.com/${checkRuns[1]}/runs/${index + 1}`,
          details_url: null,
          status: run.status,
          conclusion: run.conclusion,
          started_at: '2026-11-20T10:00:00Z',
          completed_at: run.status === 'completed' ? '2026-11-20T10:05:00Z' : null,
          name: run.name,
        })),
      });
    }
    const versions = /^\/(users|orgs)\/([^/]+)\/packages\/container\/([^/]+)\/versions$/.exec(url.pathname);
    if (versions) {
      const tagSets = state.packages.get(`${versions[2]}/${decodeURIComponent(versions[3]!)}`);
      if (!tagSets)
        return json(response, 404, {
          message: 'Package not found.',
          documentation_url: 'https://docs.github.com/rest',
        });
      return json(
        response,
        200,
        tagSets.map((tags, index) => ({
          id: index + 1,
          name: `sha256:${String(index).padStart(64, '0')}`,
          package_html_url: `https://github.com/users/${versions[2]}/packages/container/package/${versions[3]}`,
          created_at: '2026-11-20T10:05:00Z',
          metadata: { package_type: 'container', container: { tags } },
        })),
      );
    }
    return json(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
