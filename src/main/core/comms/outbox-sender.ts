/**
 * Sends what the outbox holds, when it is due: one sender at a time (a lock shared by the app and
 * the CLI), `sending` written before each request and the outcome after, retries with a growing
 * wait (or Slack's `Retry-After`), nothing sent while the network is down but the messages kept.
 */
import { acquireLock } from '../ledger/file-lock';
import { CockpitError } from '../errors';
import type { Outbox, OutboxMessage } from './outbox';
import { postToSlack, slackPayload, type SlackAnswer } from './slack-webhook';

const waitingForWebhookMs = 30_000;

export interface OutboxSenderOptions {
  outbox: Outbox;
  lockPath: string;
  /** The webhook URL of a channel, from the vault; undefined while none is set. */
  webhookUrl: (channel: string) => Promise<string | undefined>;
  post?: (url: string, payload: unknown) => Promise<SlackAnswer>;
  isHostAllowed?: (hostname: string) => boolean;
  clock?: () => Date;
  /** The first wait after a failed attempt; it doubles each time, up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** After each change (sent, retry…), e.g. to tell the renderer. */
  onChange?: () => void;
}

export interface DeliveryRound {
  sent: number;
  retrying: number;
  rejected: number;
  uncertain: number;
  /** True when another sender held the lock: this round did nothing. */
  isBusy: boolean;
}

export class OutboxSender {
  constructor(private readonly options: OutboxSenderOptions) {}

  /** Sends every message that is due now. */
  async deliverDue(): Promise<DeliveryRound> {
    const round: DeliveryRound = { sent: 0, retrying: 0, rejected: 0, uncertain: 0, isBusy: false };
    let lock;
    try {
      lock = await acquireLock(this.options.lockPath, { description: 'the outbox', waitMs: 0, leaseMs: 120_000 });
    } catch (error) {
      if (error instanceof CockpitError && error.code === 'LOCKED') return { ...round, isBusy: true };
      throw error;
    }
    try {
      const { outbox } = this.options;
      const now = this.now();
      for (const message of await outbox.list()) {
        // Only the lock holder sends: a `sending` left behind is a sender that died mid-request.
        if (message.state === 'sending') {
          await outbox.markUncertain(
            message.id,
            'The cockpit stopped while sending it: it may have reached Slack. Check the channel, then resend it or mark it sent.',
          );
          round.uncertain++;
          this.options.onChange?.();
          continue;
        }
        if (!isDue(message, now)) continue;
        const outcome = await this.send(message);
        round[outcome]++;
        this.options.onChange?.();
      }
      return round;
    } finally {
      await lock.release();
    }
  }

  private async send(message: OutboxMessage): Promise<'sent' | 'retrying' | 'rejected'> {
    const { outbox } = this.options;
    const url = await this.options.webhookUrl(message.channel);
    if (!url) {
      // Checked again soon: the person may be setting the credential right now.
      await outbox.markRetry(
        message.id,
        this.later(waitingForWebhookMs),
        `No webhook URL for #${message.channel}: set its credential in Settings; it is sent once one is there.`,
      );
      return 'retrying';
    }
    await outbox.markSending(message.id);
    const post =
      this.options.post ??
      ((target: string, payload: unknown) =>
        postToSlack(target, payload, { isHostAllowed: this.options.isHostAllowed }));
    const answer = await post(url, slackPayload(message.text, message.id));
    if (answer.kind === 'sent') {
      await outbox.markSent(message.id);
      return 'sent';
    }
    if (answer.kind === 'rejected') {
      await outbox.markRejected(message.id, answer.reason);
      return 'rejected';
    }
    const base = this.options.baseBackoffMs ?? 5_000;
    const backoff = Math.min(base * 2 ** message.attempts, this.options.maxBackoffMs ?? 600_000);
    await outbox.markRetry(message.id, this.later(answer.retryAfterMs ?? backoff), answer.reason);
    return 'retrying';
  }

  private later(ms: number): Date {
    return new Date(this.now().getTime() + ms);
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
  }
}

function isDue(message: OutboxMessage, now: Date): boolean {
  if (message.state === 'queued') return true;
  return message.state === 'retrying' && (!message.nextAttemptAt || Date.parse(message.nextAttemptAt) <= now.getTime());
}
