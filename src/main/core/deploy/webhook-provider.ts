/**
 * The webhook deploy provider: one POST with the step as JSON (and the token from the vault as a
 * bearer); readiness then comes from health polling only. A lost answer or a gateway error is
 * ambiguous — the hook may have run — so it is never resent: health decides.
 */
import { request, type Dispatcher } from 'undici';
import type { DeployProviderConfig } from '../platform/schema';
import type { DeployProviderClient } from './provider';
import { isReleaseVersion } from './versions';

type WebhookConfig = Extract<DeployProviderConfig, { provider: 'webhook' }>;

export interface WebhookOptions {
  config: WebhookConfig;
  token: () => Promise<string | undefined>;
  isHostAllowed?: (hostname: string) => boolean;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}

const gatewayStatuses = new Set([502, 503, 504]);

export function webhookProvider(options: WebhookOptions): DeployProviderClient {
  const { config } = options;
  return {
    async deploy(context, io) {
      const url = new URL(config.url);
      // The query may carry a token: only the origin and path are ever shown.
      const shown = `${url.origin}${url.pathname}`;
      if (options.isHostAllowed && !options.isHostAllowed(url.hostname))
        return { ok: false, detail: `${url.hostname} is outside the hosts the cockpit may reach` };
      const token = config.tokenCredential ? await options.token() : undefined;
      if (config.tokenCredential && !token)
        return {
          ok: false,
          detail: `no webhook token: store it as the credential "${config.tokenCredential}" (Settings → Credentials)`,
        };
      if (!isReleaseVersion(context.version))
        return { ok: false, detail: `the version ${JSON.stringify(context.version.slice(0, 80))} is not SemVer` };
      io.log(`POST ${shown} (v${context.version})\n`);
      try {
        const response = await request(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({
            service: context.service,
            environment: context.environment,
            version: context.version,
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
          dispatcher: options.dispatcher,
        });
        const text = (await response.body.text()).slice(0, 200);
        if (response.statusCode < 300 || gatewayStatuses.has(response.statusCode)) {
          io.onTriggered(`http-${response.statusCode}`);
          return response.statusCode < 300
            ? { ok: true, detail: `the webhook accepted the deploy (HTTP ${response.statusCode})` }
            : {
                ok: true,
                detail: `the webhook's gateway answered ${response.statusCode}; health will tell whether the deploy happened`,
              };
        }
        return {
          ok: false,
          detail: `the webhook refused the deploy (HTTP ${response.statusCode}${text ? `: ${text}` : ''})`,
        };
      } catch (error) {
        io.onTriggered('answer-lost');
        io.log(`The webhook's answer was lost (${(error as Error).message}); health will tell whether it deployed.\n`);
        return { ok: true, detail: "the webhook's answer was lost; readiness comes from health" };
      }
    },
  };
}
