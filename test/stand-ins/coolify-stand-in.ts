/**
 * A stand-in for the Coolify API endpoints the cockpit uses (Coolify cannot run here), built from
 * Coolify's published OpenAPI description (`../shared/specs/coolify-openapi.yaml`): `POST /deploy`,
 * `GET /deployments/{uuid}`, `GET /deployments/applications/{uuid}`,
 * `POST /deployments/{uuid}/cancel`, `PATCH /applications/{uuid}`, `GET /applications/{uuid}/rollback-images`,
 * `POST /applications/{uuid}/rollback`, `POST /applications/{uuid}/stop` and `…/start`, and for the
 * import `GET /projects`, `GET /projects/{uuid}/environments` and `GET /applications`. Every request it receives and
 * every response it sends is checked against that description; problems are collected in
 * `violations` for the tests to assert empty. Deployments move queued → in_progress → finished
 * (or failed) on timers, with logs as Coolify keeps them (a JSON list of entries). Faults can be
 * injected into the next trigger to play the ambiguous answers of a real network.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { OpenApiContract } from './openapi-contract';

/** A copy of `../shared/specs/coolify-openapi.yaml` (kept identical by a test) so a clean clone has it. */
export const coolifyDescription = path.resolve(import.meta.dirname, 'specs', 'coolify-openapi.yaml');

/** How the next `POST /deploy` misbehaves; "after commit" means the deployment was created. */
export type DeployFault =
  'drop-after-commit' | 'reset-before-commit' | '502-after-commit' | '502-before-commit' | 'stall-after-commit';

export interface StandInDeployment {
  deployment_uuid: string;
  application_uuid: string;
  status: 'queued' | 'in_progress' | 'finished' | 'failed' | 'cancelled-by-user';
  logs: {
    command: string | null;
    output: string;
    type: 'stdout' | 'stderr';
    timestamp: string;
    hidden: boolean;
    batch: number;
    order: number;
  }[];
  created_at: string;
  /** The application's pinned fields when it was triggered. */
  fields: Record<string, string>;
  timers: ReturnType<typeof setTimeout>[];
}

export interface StandInApplication {
  /** What a deployment does: its log lines, how long it takes, how it ends. */
  logLines: string[];
  durationMs: number;
  outcome: 'finished' | 'failed';
  fields: Record<string, string>;
  /** The images Coolify keeps for rolling back, oldest first; the current one is the last deployed. */
  images: { tag: string; created_at: string }[];
  isRunning: boolean;
}

/** A project as the import reads it: its environments and the applications in each. */
export interface StandInProject {
  uuid: string;
  name: string;
  environments: { id: number; name: string }[];
}

/** An application as `GET /applications` lists it (the Application model's fields the import reads). */
export interface StandInListedApplication {
  uuid: string;
  name: string;
  environment_id: number;
  fqdn?: string | null;
  health_check_path?: string | null;
  git_full_url?: string | null;
  git_repository?: string | null;
  docker_registry_image_name?: string | null;
}

export interface CoolifyStandIn {
  /** What the import endpoints list. */
  projects: StandInProject[];
  listed: StandInListedApplication[];
  /** The next answer to a path (e.g. `/projects`) replaced: a 500, an HTML page… */
  answers: Map<string, { status: number; body: string; contentType: string }>;
  /** The API base, e.g. `http://127.0.0.1:1234/api/v1`. */
  apiUrl: string;
  token: string;
  applications: Map<string, StandInApplication>;
  deployments: StandInDeployment[];
  requests: { method: string; url: string; body: string }[];
  /** Every way a request or a response strayed from the published description. */
  violations: string[];
  faults: DeployFault[];
  /** Called when a deployment finishes (e.g. to switch a health server to the new version). */
  onFinished?: (deployment: StandInDeployment) => void;
  /** Deployments created for an application (the side effects a trigger had). */
  triggersOf(applicationUuid: string): number;
  addApplication(uuid: string, application?: Partial<StandInApplication>): void;
  close(): Promise<void>;
}

export async function startCoolifyStandIn(token = 'coolify-standin-token-7f3a'): Promise<CoolifyStandIn> {
  const contract = new OpenApiContract(coolifyDescription);
  const sockets = new Set<Socket>();
  const stalled = new Set<ServerResponse>();
  const state: CoolifyStandIn = {
    apiUrl: '',
    token,
    applications: new Map(),
    projects: [],
    listed: [],
    answers: new Map(),
    deployments: [],
    requests: [],
    violations: [],
    faults: [],
    triggersOf: (uuid) => state.deployments.filter((deployment) => deployment.application_uuid === uuid).length,
    addApplication: (uuid, application = {}) =>
      state.applications.set(uuid, {
        logLines: ['Pulling image.', 'Starting container.', 'Healthcheck passed.'],
        durationMs: 150,
        outcome: 'finished',
        fields: {},
        images: [],
        isRunning: true,
        ...application,
      }),
    close: async () => undefined,
  };

  const send = (request: IncomingMessage, response: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    for (const problem of contract.checkResponse(request.method ?? '', request.url ?? '/', status, text))
      state.violations.push(`response to ${request.method} ${request.url}: ${problem}`);
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(text);
  };

  // A gateway error comes from the proxy in front of Coolify, not from Coolify's API.
  const gatewayError = (response: ServerResponse) => {
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
  };

  const view = (deployment: StandInDeployment) => ({
    id: state.deployments.indexOf(deployment) + 1,
    application_id: deployment.application_uuid,
    deployment_uuid: deployment.deployment_uuid,
    pull_request_id: 0,
    docker_registry_image_tag: deployment.fields.docker_registry_image_tag ?? null,
    force_rebuild: false,
    commit: deployment.fields.git_commit_sha ?? 'HEAD',
    status: deployment.status,
    is_webhook: false,
    is_api: true,
    created_at: deployment.created_at,
    updated_at: new Date().toISOString(),
    logs: JSON.stringify(deployment.logs),
    restart_only: false,
    rollback: false,
  });

  const createDeployment = (applicationUuid: string, fields: Record<string, string> = {}): StandInDeployment => {
    const application = state.applications.get(applicationUuid)!;
    const deployment: StandInDeployment = {
      deployment_uuid: randomUUID().replaceAll('-', '').slice(0, 24),
      application_uuid: applicationUuid,
      status: 'queued',
      logs: [],
      created_at: new Date().toISOString(),
      fields: { ...application.fields, ...fields },
      timers: [],
    };
    state.deployments.push(deployment);
    const step = application.durationMs / (application.logLines.length + 1);
    deployment.timers.push(setTimeout(() => (deployment.status = 'in_progress'), 5));
    application.logLines.forEach((line, index) => {
      deployment.timers.push(
        setTimeout(
          () =>
            deployment.logs.push({
              command: null,
              output: line,
              type: 'stdout',
              timestamp: new Date().toISOString(),
              hidden: false,
              batch: 1,
              order: index + 1,
            }),
          step * (index + 1),
        ),
      );
    });
    deployment.timers.push(
      setTimeout(() => {
        deployment.status = application.outcome;
        if (application.outcome === 'finished') state.onFinished?.(deployment);
      }, application.durationMs),
    );
    return deployment;
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.requests.push({ method: request.method ?? '', url: request.url ?? '/', body });
      for (const problem of contract.checkRequest({
        method: request.method ?? '',
        url: request.url ?? '/',
        headers: request.headers,
        body,
      }))
        state.violations.push(`${request.method} ${request.url}: ${problem}`);
      if (request.headers.authorization !== `Bearer ${state.token}`)
        return send(request, response, 401, { message: 'Unauthenticated.' });
      route(request, response, new URL(request.url ?? '/', 'http://localhost'), body);
    });
  });

  const route = (request: IncomingMessage, response: ServerResponse, url: URL, body: string) => {
    const pathname = url.pathname.replace(/^\/api\/v1/, '');
    const replaced = state.answers.get(pathname);
    if (replaced) {
      state.answers.delete(pathname);
      response.writeHead(replaced.status, { 'content-type': replaced.contentType });
      return response.end(replaced.body);
    }
    if (request.method === 'GET' && pathname === '/projects')
      return send(
        request,
        response,
        200,
        state.projects.map((project, index) => ({
          id: index + 1,
          uuid: project.uuid,
          name: project.name,
          description: '',
        })),
      );
    const environments = /^\/projects\/([^/]+)\/environments$/.exec(pathname);
    if (request.method === 'GET' && environments) {
      const project = state.projects.find((candidate) => candidate.uuid === decodeURIComponent(environments[1]!));
      if (!project) return send(request, response, 404, { message: 'Project not found.' });
      const projectId = state.projects.indexOf(project) + 1;
      return send(
        request,
        response,
        200,
        project.environments.map((environment) => ({
          ...environment,
          project_id: projectId,
          created_at: '2026-01-05T10:00:00.000000Z',
          updated_at: '2026-01-05T10:00:00.000000Z',
          description: '',
        })),
      );
    }
    if (request.method === 'GET' && pathname === '/applications')
      // A field the application has no value for is left out (the description types none as nullable).
      return send(
        request,
        response,
        200,
        state.listed.map((listed) => Object.fromEntries(Object.entries(listed).filter(([, value]) => value != null))),
      );
    if (request.method === 'POST' && pathname === '/deploy') {
      const uuid = url.searchParams.get('uuid') ?? '';
      if (!state.applications.has(uuid)) return send(request, response, 400, { message: 'No resources found.' });
      const fault = state.faults.shift();
      if (fault === 'reset-before-commit') return request.socket.destroy();
      if (fault === '502-before-commit') return gatewayError(response);
      const deployment = createDeployment(uuid);
      if (fault === 'drop-after-commit') return request.socket.destroy();
      if (fault === '502-after-commit') return gatewayError(response);
      if (fault === 'stall-after-commit') {
        stalled.add(response);
        return;
      }
      return send(request, response, 200, {
        deployments: [
          {
            message: `Application ${uuid} deployment queued.`,
            resource_uuid: uuid,
            deployment_uuid: deployment.deployment_uuid,
          },
        ],
      });
    }
    const byApplication = /^\/deployments\/applications\/([^/]+)$/.exec(pathname);
    if (request.method === 'GET' && byApplication) {
      const uuid = decodeURIComponent(byApplication[1]!);
      const skip = Number(url.searchParams.get('skip') ?? 0);
      const take = Number(url.searchParams.get('take') ?? 10);
      const list = state.deployments
        .filter((deployment) => deployment.application_uuid === uuid)
        .reverse()
        .slice(skip, skip + take)
        .map((deployment) => ({
          deployment_uuid: deployment.deployment_uuid,
          status: deployment.status,
          created_at: deployment.created_at,
        }));
      return send(request, response, 200, list);
    }
    const cancel = /^\/deployments\/([^/]+)\/cancel$/.exec(pathname);
    if (request.method === 'POST' && cancel) {
      const deployment = state.deployments.find((candidate) => candidate.deployment_uuid === cancel[1]);
      if (!deployment) return send(request, response, 404, { message: 'Deployment not found.' });
      if (!['queued', 'in_progress'].includes(deployment.status))
        return send(request, response, 400, {
          message: `Deployment cannot be cancelled. Current status: ${deployment.status}`,
        });
      for (const timer of deployment.timers) clearTimeout(timer);
      deployment.status = 'cancelled-by-user';
      return send(request, response, 200, {
        message: 'Deployment cancelled successfully.',
        deployment_uuid: deployment.deployment_uuid,
        status: deployment.status,
      });
    }
    const one = /^\/deployments\/([^/]+)$/.exec(pathname);
    if (request.method === 'GET' && one) {
      const deployment = state.deployments.find((candidate) => candidate.deployment_uuid === one[1]);
      if (!deployment) return send(request, response, 404, { message: 'Deployment not found.' });
      return send(request, response, 200, view(deployment));
    }
    const action = /^\/applications\/([^/]+)\/(rollback-images|rollback|stop|start)$/.exec(pathname);
    if (action) {
      const uuid = decodeURIComponent(action[1]!);
      const known = state.applications.get(uuid);
      if (!known) return send(request, response, 404, { message: 'Application not found.' });
      const current = state.deployments.findLast(
        (deployment) => deployment.application_uuid === uuid && deployment.status === 'finished',
      )?.fields.docker_registry_image_tag;
      if (request.method === 'GET' && action[2] === 'rollback-images')
        return send(request, response, 200, {
          current: current ?? null,
          images: known.images.map((image) => ({ ...image, is_current: image.tag === current })),
        });
      if (request.method === 'POST' && action[2] === 'rollback') {
        const commit = (JSON.parse(body || '{}') as { commit?: unknown }).commit;
        if (typeof commit !== 'string' || !known.images.some((image) => image.tag === commit))
          return send(request, response, 422, {
            message: 'Validation error.',
            errors: { commit: ['No such image to roll back to.'] },
          });
        const deployment = createDeployment(uuid, { docker_registry_image_tag: commit });
        return send(request, response, 200, {
          message: 'Rollback deployment queued.',
          deployment_uuid: deployment.deployment_uuid,
        });
      }
      if (request.method === 'POST' && action[2] === 'stop') {
        known.isRunning = false;
        return send(request, response, 200, { message: 'Application stopping request queued.' });
      }
      if (request.method === 'POST' && action[2] === 'start') {
        known.isRunning = true;
        const deployment = createDeployment(uuid);
        return send(request, response, 200, {
          message: 'Deployment request queued.',
          deployment_uuid: deployment.deployment_uuid,
        });
      }
    }
    const application = /^\/applications\/([^/]+)$/.exec(pathname);
    if (request.method === 'PATCH' && application) {
      const uuid = decodeURIComponent(application[1]!);
      const known = state.applications.get(uuid);
      if (!known) return send(request, response, 404, { message: 'Application not found.' });
      Object.assign(known.fields, JSON.parse(body || '{}') as Record<string, string>);
      return send(request, response, 200, { uuid });
    }
    return send(request, response, 404, { message: 'Not found.' });
  };

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  state.close = async () => {
    for (const deployment of state.deployments) for (const timer of deployment.timers) clearTimeout(timer);
    for (const socket of sockets) socket.destroy();
    stalled.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
