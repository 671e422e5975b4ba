/**
 * Posting to a Slack incoming webhook (https://api.slack.com/messaging/webhooks), read the way
 * Slack documents its answers: 200 `ok` is delivered; 429 is rate limiting with `Retry-After`
 * seconds; 5xx and no answer at all are worth another try; any other 4xx (`invalid_payload`,
 * `channel_not_found`, `no_service`, `channel_is_archived`, `action_prohibited`…) will not get
 * better by trying again. The webhook URL is a secret: no message here ever contains it.
 */
import { request, type Dispatcher } from 'undici';

export type SlackAnswer =
  { kind: 'sent' } | { kind: 'retry'; reason: string; retryAfterMs?: number } | { kind: 'rejected'; reason: string };

export interface SlackPostOptions {
  timeoutMs?: number;
  isHostAllowed?: (hostname: string) => boolean;
  dispatcher?: Dispatcher;
}

/** The message as Slack receives it: the text, and the outbox id to check a delivery by. */
export function slackPayload(text: string, messageId: string) {
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Release Cockpit message ${messageId}` }] },
    ],
  };
}

export async function postToSlack(
  webhookUrl: string,
  payload: unknown,
  options: SlackPostOptions = {},
): Promise<SlackAnswer> {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    return { kind: 'rejected', reason: 'the webhook URL in the vault is not a URL: set it again in Settings' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { kind: 'rejected', reason: 'the webhook URL must be http(s): set it again in Settings' };
  if (options.isHostAllowed && !options.isHostAllowed(url.hostname))
    return { kind: 'rejected', reason: `${url.hostname} is outside the hosts the cockpit may reach` };
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      dispatcher: options.dispatcher,
    });
    const body = (await response.body.text()).trim().slice(0, 200);
    const status = response.statusCode;
    if (status === 200) return { kind: 'sent' };
    if (status === 429) {
      const seconds = Number(response.headers['retry-after']);
      return {
        kind: 'retry',
        reason: `Slack is rate limiting (429)`,
        ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
      };
    }
    if (status >= 500) return { kind: 'retry', reason: `Slack answered ${status}${body ? ` (${body})` : ''}` };
    return { kind: 'rejected', reason: `Slack refused the message: ${status}${body ? ` ${body}` : ''}` };
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? 'no answer in time' : (error as Error).message;
    return { kind: 'retry', reason: `Slack (${url.host}) could not be reached: ${cause}` };
  }
}
