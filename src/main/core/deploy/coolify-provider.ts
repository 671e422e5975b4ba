/**
 * The Coolify deploy provider, over Coolify's published API (`../shared/specs/coolify-openapi.yaml`):
 * pin the version on the application when the platform asks (`PATCH /applications/{uuid}`),
 * trigger (`POST /deploy?uuid=…`), follow the deployment's status and logs
 * (`GET /deployments/{uuid}`), cancel (`POST /deployments/{uuid}/cancel`), and list the
 * application's deployments (`GET /deployments/applications/{uuid}`) for the reconciling read that
 * comes before any retry: `POST /deploy` takes no idempotency key, so an ambiguous answer (reset,
 * timeout, 5xx) is never simply sent again. A level 1 rollback to an image Coolify keeps goes
 * through `GET /applications/{uuid}/rollback-images` and `POST /applications/{uuid}/rollback`,
 * with the same care; stop and start (`POST /applications/{uuid}/stop`, `…/start`) serve level 3.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { DeployProviderConfig } from '../platform/schema';
import { fillPlaceholders } from './command-provider';
import type {
  DeployIo,
  DeployProviderClient,
  ProviderIo,
  Reconciliation,
  RollbackImage,
  StepContext,
  TriggerOutcome,
} from './provider';

type CoolifyConfig = Extract<DeployProviderConfig, { provider: 'coolify' }>;

export interface CoolifyOptions {
  config: CoolifyConfig;
  /** Reads the API token from the vault when a request needs it. */
  token: () => Promise<string | undefined>;
  isHostAllowed?: (hostname: string) => boolean;
  dispatcher?: Dispatcher;
  requestTimeoutMs?: number;
  pollIntervalMs?: number;
}

/** Coolify's answer could not be used: `ambiguous` when the request may have taken effect anyway. */
class CoolifyCallError extends Error {
  constructor(
    message: string,
    readonly isAmbiguous: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DeployAnswer = z.object({
  deployments: z.array(
    z.object({ message: z.string().optional(), resource_uuid: z.string().optional(), deployment_uuid: z.string() }),
  ),
});

const Deployment = z.object({
  deployment_uuid: z.string(),
  status: z.string(),
  logs: z.string().nullish(),
  created_at: z.string().nullish(),
});

const DeploymentSummary = z.object({ deployment_uuid: z.string().optional(), created_at: z.string().nullish() });
// The description types this list as applications; Coolify returns deployment records, some
// versions wrapped in `{ count, deployments }`. Accept both, keep records naming a deployment.
const DeploymentList = z.union([
  z.array(DeploymentSummary),
  z.object({ deployments: z.array(DeploymentSummary) }).transform((answer) => answer.deployments),
]);

const Anything = z.unknown();

const StartAnswer = z.object({ message: z.string().optional(), deployment_uuid: z.string().optional() });
const RollbackAnswer = StartAnswer;

const RollbackImages = z.object({
  current: z.string().nullish(),
  images: z.array(z.object({ tag: z.string(), created_at: z.string().nullish(), is_current: z.boolean().nullish() })),
});

const finishedStatuses = new Set(['finished']);
const failedStatuses = new Set(['failed', 'cancelled-by-user', 'cancelled']);

/** The Coolify provider for one application. */
export function coolifyProvider(options: CoolifyOptions): DeployProviderClient {
  const { config } = options;
  const uuid = config.applicationUuid;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const pollIntervalMs = options.pollIntervalMs ?? (config.pollSeconds ?? 2) * 1000;
  const base = config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`;

  const call = async <T>(
    method: 'GET' | 'POST' | 'PATCH',
    pathname: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T> => {
    const url = new URL(pathname.replace(/^\//, ''), base);
    if (options.isHostAllowed && !options.isHostAllowed(url.hostname))
      throw new CoolifyCallError(`${url.hostname} is outside the hosts the cockpit may reach`, false);
    const token = await options.token();
    if (!token)
      throw new CoolifyCallError(
        `no Coolify API token: store it as the credential "${config.tokenCredential}" (Settings → Credentials)`,
        false,
      );
    let status: number;
    let text: string;
    try {
      const response = await request(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(requestTimeoutMs),
        dispatcher: options.dispatcher,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new CoolifyCallError(`Coolify did not answer ${method} ${url.pathname}: ${(error as Error).message}`, true);
    }
    const message = messageOf(text);
    if (status >= 500)
      throw new CoolifyCallError(`Coolify answered ${status} to ${method} ${url.pathname}${message}`, true, status);
    if (status === 401 || status === 403)
      throw new CoolifyCallError(
        `Coolify refused the token (${status}${message}): check the credential "${config.tokenCredential}"`,
        false,
        status,
      );
    if (status >= 400)
      throw new CoolifyCallError(`Coolify refused ${method} ${url.pathname} (${status}${message})`, false, status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CoolifyCallError(`Coolify's answer to ${method} ${url.pathname} is not JSON`, false, status);
    }
    const result = schema.safeParse(parsed);
    if (!result.success)
      throw new CoolifyCallError(
        `Coolify's answer to ${method} ${url.pathname} has an unexpected shape (${result.error.issues[0]?.message})`,
        false,
        status,
      );
    return result.data;
  };

  const listDeployments = async (): Promise<string[]> => {
    const list = await call('GET', `/deployments/applications/${encodeURIComponent(uuid)}?take=50`, DeploymentList);
    return list.flatMap((item) => (item.deployment_uuid ? [item.deployment_uuid] : []));
  };

  /** A deployment of this application that the snapshot did not know: the one this step triggered. */
  const findNew = async (snapshot: string[]): Promise<string | undefined> =>
    (await listDeployments()).find((id) => !snapshot.includes(id));

  const follow = async (deploymentUuid: string, io: ProviderIo): Promise<TriggerOutcome> => {
    const deadline = Date.now() + (config.timeoutSeconds ?? 1_800) * 1000;
    const printed = { entries: 0, characters: 0 };
    let lastProblem = '';
    for (;;) {
      if (io.signal.aborted) {
        try {
          await call('POST', `/deployments/${encodeURIComponent(deploymentUuid)}/cancel`, Anything);
          io.log(`Asked Coolify to cancel deployment ${deploymentUuid}.\n`);
        } catch (error) {
          io.log(`Coolify could not cancel deployment ${deploymentUuid}: ${(error as Error).message}\n`);
        }
        return { ok: false, detail: `cancelled; Coolify deployment ${deploymentUuid} was asked to stop` };
      }
      try {
        const deployment = await call('GET', `/deployments/${encodeURIComponent(deploymentUuid)}`, Deployment);
        lastProblem = '';
        printNewLogs(deployment.logs ?? '', printed, io.log);
        if (finishedStatuses.has(deployment.status))
          return { ok: true, detail: `Coolify deployment ${deploymentUuid} finished` };
        if (failedStatuses.has(deployment.status))
          return { ok: false, detail: `Coolify deployment ${deploymentUuid} ended ${deployment.status}` };
      } catch (error) {
        if (error instanceof CoolifyCallError && !error.isAmbiguous)
          return { ok: false, detail: `following Coolify deployment ${deploymentUuid}: ${error.message}` };
        if ((error as Error).message !== lastProblem) io.log(`${(error as Error).message}; still following.\n`);
        lastProblem = (error as Error).message;
      }
      if (Date.now() + pollIntervalMs > deadline)
        return {
          ok: false,
          detail: `Coolify deployment ${deploymentUuid} did not end within ${config.timeoutSeconds ?? 1_800} s`,
        };
      await sleep(pollIntervalMs, undefined, { signal: io.signal }).catch(() => undefined);
    }
  };

  /** Starts the deploy (or the rollback to a kept image); resolves with the deployment's uuid. */
  const trigger = async (context: StepContext): Promise<string | undefined> => {
    if (context.rollbackImage) {
      const answer = await call('POST', `/applications/${encodeURIComponent(uuid)}/rollback`, RollbackAnswer, {
        commit: context.rollbackImage,
      });
      return answer.deployment_uuid;
    }
    const answer = await call('POST', `/deploy?uuid=${encodeURIComponent(uuid)}&force=false`, DeployAnswer);
    return (answer.deployments.find((candidate) => candidate.resource_uuid === uuid) ?? answer.deployments[0])
      ?.deployment_uuid;
  };

  return {
    snapshot: () => listDeployments(),

    async rollbackImages(): Promise<RollbackImage[]> {
      const answer = await call('GET', `/applications/${encodeURIComponent(uuid)}/rollback-images`, RollbackImages);
      return answer.images.map((image) => ({
        tag: image.tag,
        ...(image.created_at ? { createdAt: image.created_at } : {}),
        isCurrent: image.is_current === true || image.tag === answer.current,
      }));
    },

    async deploy(context: StepContext, io: DeployIo, snapshot?: string[]): Promise<TriggerOutcome> {
      try {
        // A rollback to a kept image names the image itself; nothing to pin.
        if (config.pin && !context.rollbackImage) {
          await call('PATCH', `/applications/${encodeURIComponent(uuid)}`, Anything, {
            [config.pin.field]: fillPlaceholders(config.pin.value, context),
          });
          io.log(`Pinned ${config.pin.field} to ${fillPlaceholders(config.pin.value, context)} on Coolify.\n`);
        }
      } catch (error) {
        return { ok: false, detail: `could not pin the version on Coolify: ${(error as Error).message}` };
      }
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          const started = await trigger(context);
          if (!started) return { ok: false, detail: 'Coolify accepted the request but started no deployment' };
          io.onTriggered(started);
          io.log(
            context.rollbackImage
              ? `Coolify started rollback deployment ${started} to image ${context.rollbackImage}.\n`
              : `Coolify started deployment ${started}.\n`,
          );
          return await follow(started, io);
        } catch (error) {
          if (!(error instanceof CoolifyCallError) || !error.isAmbiguous)
            return { ok: false, detail: `could not trigger the deploy: ${(error as Error).message}` };
          io.log(`${error.message}; checking whether the deploy started before deciding anything.\n`);
          let started: string | undefined;
          try {
            started = snapshot ? await findNew(snapshot) : undefined;
          } catch (readError) {
            return {
              ok: false,
              detail: `needs reconciling: Coolify may have started the deploy and cannot be asked (${(readError as Error).message})`,
            };
          }
          if (started) {
            io.onTriggered(started);
            io.log(`Coolify did start deployment ${started}; following it.\n`);
            return follow(started, io);
          }
          if (!snapshot || attempt === 2)
            return { ok: false, detail: `could not trigger the deploy: ${error.message}` };
          io.log('Coolify started nothing; triggering once more.\n');
        }
      }
      return { ok: false, detail: 'could not trigger the deploy' };
    },

    async stop(_context, io): Promise<TriggerOutcome> {
      try {
        await call('POST', `/applications/${encodeURIComponent(uuid)}/stop`, Anything);
        io.log(`Asked Coolify to stop application ${uuid}.\n`);
        return { ok: true, detail: `Coolify is stopping application ${uuid}` };
      } catch (error) {
        return { ok: false, detail: `could not stop the application on Coolify: ${(error as Error).message}` };
      }
    },

    async start(_context, io): Promise<TriggerOutcome> {
      try {
        const answer = await call('POST', `/applications/${encodeURIComponent(uuid)}/start`, StartAnswer);
        io.log(`Asked Coolify to start application ${uuid}.\n`);
        return answer.deployment_uuid
          ? await follow(answer.deployment_uuid, io)
          : { ok: true, detail: `Coolify is starting application ${uuid}` };
      } catch (error) {
        return { ok: false, detail: `could not start the application on Coolify: ${(error as Error).message}` };
      }
    },

    async reconcile(_context, io, known): Promise<Reconciliation> {
      const ref = known.ref ?? (known.snapshot ? await findNew(known.snapshot) : undefined);
      if (!ref) return { status: 'none' };
      io.log(`Coolify deployment ${ref} belongs to this run; following it instead of triggering again.\n`);
      return { status: 'found', ref, outcome: await follow(ref, io) };
    },
  };
}

/** Coolify keeps a deployment's logs as a JSON list of entries (some hidden); older ones as text. */
function printNewLogs(logs: string, printed: { entries: number; characters: number }, log: (text: string) => void) {
  if (!logs) return;
  let entries: unknown;
  try {
    entries = JSON.parse(logs);
  } catch {
    entries = undefined;
  }
  if (Array.isArray(entries)) {
    for (const entry of entries.slice(printed.entries)) {
      const { output, hidden } = (entry ?? {}) as { output?: unknown; hidden?: unknown };
      if (hidden !== true && typeof output === 'string' && output.length > 0)
        log(output.endsWith('\n') ? output : `${output}\n`);
    }
    printed.entries = Math.max(printed.entries, entries.length);
    return;
  }
  if (logs.length > printed.characters) {
    log(logs.slice(printed.characters));
    printed.characters = logs.length;
  }
}

function messageOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
