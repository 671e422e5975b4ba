import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitHubProvider } from '../../../../src/main/core/ci/ci-provider';
import { isLoopbackHost } from '../../../../src/main/core/health/prober';
import { startGitHubStandIn, type GitHubStandIn } from '../../../stand-ins/github-stand-in';

let github: GitHubStandIn;

beforeEach(async () => {
  github = await startGitHubStandIn();
  github.refs.set(
    'acme/auth-service',
    new Map([
      [
        'v2.1.0',
        {
          sha: 'a'.repeat(40),
          runs: [
            { name: 'lint', status: 'completed', conclusion: 'success' },
            { name: 'test', status: 'completed', conclusion: 'success' },
            { name: 'build-and-push-image', status: 'completed', conclusion: 'success' },
          ],
        },
      ],
      ['v2.2.0', { sha: 'b'.repeat(40), runs: [{ name: 'test', status: 'completed', conclusion: 'failure' }] }],
      ['v2.3.0', { sha: 'c'.repeat(40), runs: [{ name: 'e2e', status: 'in_progress', conclusion: null }] }],
    ]),
  );
  github.packages.set('acme/auth-service', [['v2.0.0'], ['v2.1.0', 'latest']]);
});

afterEach(async () => {
  await github.close();
});

const provider = (token = github.token) =>
  gitHubProvider({
    apiUrl: github.url,
    token: async () => token,
    packageOwnerType: 'user',
    isHostAllowed: isLoopbackHost,
  });

const query = (ref: string) => ({ repository: 'acme/auth-service', ref, image: 'ghcr.io/acme/auth-service' });

describe('CI status from GitHub Actions (against a stand-in of the REST API)', () => {
  it('is green when every check run succeeded, and finds the tag’s image on GHCR', async () => {
    const status = await provider().status(query('v2.1.0'));
    expect(status).toMatchObject({ provider: 'github', ref: 'v2.1.0', commit: 'a'.repeat(40), state: 'success' });
    expect(status.checks.map((check) => check.name)).toEqual(['lint', 'test', 'build-and-push-image']);
    expect(status.image).toEqual({ reference: 'ghcr.io/acme/auth-service:v2.1.0', exists: true });
  });

  it('is red when a check failed, and says when the image is missing', async () => {
    const status = await provider().status(query('v2.2.0'));
    expect(status.state).toBe('failure');
    expect(status.image).toEqual({ reference: 'ghcr.io/acme/auth-service:v2.2.0', exists: false });
  });

  it('is pending while a run is in progress', async () => {
    expect((await provider().status(query('v2.3.0'))).state).toBe('pending');
  });

  it('says when the ref is not on GitHub, or the token is refused — never green', async () => {
    expect(await provider().status(query('v9.9.9'))).toMatchObject({
      state: 'unknown',
      detail: 'v9.9.9 is not on GitHub (acme/auth-service)',
    });
    expect(await provider('wrong-token').status(query('v2.1.0'))).toMatchObject({
      state: 'unknown',
      detail: 'GitHub refused the token: check github-token in Settings',
    });
  });

  it('sends the documented headers and the token as a bearer', async () => {
    await provider().status(query('v2.1.0'));
    const [first] = github.requests;
    expect(first).toMatchObject({
      method: 'GET',
      path: '/repos/acme/auth-service/commits/v2.1.0/check-runs?per_page=100',
    });
    expect(first!.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      authorization: `Bearer ${github.token}`,
    });
  });

  it('is unknown when GitHub cannot be reached', async () => {
    await github.close();
    expect((await provider().status(query('v2.1.0'))).state).toBe('unknown');
  });
});
