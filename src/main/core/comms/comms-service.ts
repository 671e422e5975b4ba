/**
 * Communication from the app: notices queued in the outbox for a Slack channel of the platform,
 * sent in the background when they are due (the webhook URL from the vault), listed, cancelled,
 * and — when a send was cut short — resolved by a person. Every queueing and every outcome is in
 * the ledger; the renderer hears of each change.
 */
import type { EventBus } from '../event-bus';
import { CockpitError } from '../errors';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Redactor } from '../logs/redactor';
import type { Platform } from '../platform/schema';
import { postToSlack, slackPayload } from './slack-webhook';
import { Outbox, type OutboxMessage, type Resolution } from './outbox';
import { OutboxSender } from './outbox-sender';

export interface CommsServiceOptions {
  platform: Platform;
  dataDir: string;
  audit: AuditTrail;
  events: EventBus;
  redactor: Redactor;
  readCredential: (id: string) => Promise<string | undefined>;
  isHostAllowed?: (hostname: string) => boolean;
  clock?: () => Date;
  /** How often due messages are sent; 0 sends only right after queueing. */
  intervalMs?: number;
}

export class CommsService {
  readonly outbox: Outbox;
  private readonly sender: OutboxSender;
  private timer: NodeJS.Timeout | undefined;
  private delivering: Promise<void> | undefined;
  /** The state each message's last ledger record gave; seeded from the outbox as it was at start. */
  private readonly recorded = new Map<string, string>();
  private readonly seeded: Promise<void>;

  constructor(private readonly options: CommsServiceOptions) {
    const { platform, dataDir } = options;
    this.outbox = new Outbox(Outbox.folder(dataDir), platform.id, options.clock);
    this.sender = new OutboxSender({
      outbox: this.outbox,
      lockPath: Outbox.lockPath(dataDir, platform.id),
      webhookUrl: async (channel) => {
        const credential = platform.comms.slack.find((candidate) => candidate.id === channel)?.webhookCredential;
        return credential ? options.readCredential(credential) : undefined;
      },
      isHostAllowed: options.isHostAllowed,
      clock: options.clock,
    });
    this.seeded = this.outbox.list().then(
      (messages) => {
        for (const message of messages) this.recorded.set(message.id, message.state);
      },
      () => undefined,
    );
  }

  /**
   * Posts a short test message to a channel's webhook now (not through the outbox), so a person
   * setting a webhook up sees at once whether Slack takes it. Recorded in the ledger.
   */
  async sendTest(channel: string, by: string): Promise<{ channel: string; isSent: boolean; detail: string }> {
    const { platform } = this.options;
    const config = platform.comms.slack.find((candidate) => candidate.id === channel);
    if (!config)
      throw new CockpitError(
        'NOT_FOUND',
        `${platform.name} has no Slack channel "${channel}"; expected one of ${platform.comms.slack.map((candidate) => candidate.id).join(', ') || '(none)'}.`,
      );
    const url = await this.options.readCredential(config.webhookCredential);
    if (!url)
      return {
        channel,
        isSent: false,
        detail: `No webhook URL for #${channel}: set the credential ${config.webhookCredential} first.`,
      };
    const text = `Release Cockpit test message for #${channel} from ${by}: the webhook works.`;
    try {
      await this.options.audit.around(
        { action: 'comms.sent', summary: `Test message to #${channel}`, details: { channel, isTest: true } },
        async () => {
          const answer = await postToSlack(url, slackPayload(text, `test-${Date.now()}`), {
            isHostAllowed: this.options.isHostAllowed,
          });
          if (answer.kind !== 'sent') throw new Error(answer.reason);
        },
      );
      return { channel, isSent: true, detail: `Slack took the test message for #${channel}.` };
    } catch (error) {
      return { channel, isSent: false, detail: this.options.redactor.redact((error as Error).message) };
    }
  }

  start(): void {
    const intervalMs = this.options.intervalMs ?? 5_000;
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => void this.deliver(), intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Queues a message (masked: nothing secret leaves in a message) and tries to send it at once. */
  async queue(message: {
    channel: string;
    kind: string;
    text: string;
    correlationId?: string;
  }): Promise<OutboxMessage> {
    if (!this.options.platform.comms.slack.some((candidate) => candidate.id === message.channel))
      throw new CockpitError('NOT_FOUND', `The platform has no Slack channel "${message.channel}" under comms.slack.`);
    const queued = await this.outbox.queue({ ...message, text: this.options.redactor.redact(message.text) });
    await this.options.audit.record([
      {
        action: 'comms.queued',
        status: 'info',
        correlationId: message.correlationId,
        summary: `${message.kind} queued for #${message.channel} (message ${queued.id})`,
        details: { messageId: queued.id, channel: message.channel, kind: message.kind },
      },
    ]);
    this.recorded.set(queued.id, queued.state);
    await this.announce();
    void this.deliver();
    return queued;
  }

  list(): Promise<OutboxMessage[]> {
    return this.outbox.list();
  }

  async cancel(id: string): Promise<OutboxMessage[]> {
    await this.requireMessage(id);
    if (!(await this.outbox.cancel(id)))
      throw new CockpitError(
        'BAD_INPUT',
        'Only a message not sent yet (queued, retrying, uncertain or rejected) can be cancelled.',
      );
    await this.recordOutcomes();
    return this.announce();
  }

  async resolve(id: string, resolution: Resolution): Promise<OutboxMessage[]> {
    await this.requireMessage(id);
    if (!(await this.outbox.resolve(id, resolution)))
      throw new CockpitError(
        'BAD_INPUT',
        'Only a message whose delivery is uncertain can be marked sent, and only an uncertain or rejected one resent.',
      );
    await this.recordOutcomes();
    const messages = await this.announce();
    if (resolution === 'resend') void this.deliver();
    return messages;
  }

  /** One delivery round at a time; a round already running is awaited instead. */
  deliver(): Promise<void> {
    this.delivering ??= (async () => {
      try {
        const round = await this.sender.deliverDue();
        if (!round.isBusy && round.sent + round.rejected + round.retrying + round.uncertain > 0) {
          await this.recordOutcomes();
          await this.announce();
        }
      } catch {
        // The outbox keeps everything; the next round tries again.
      } finally {
        this.delivering = undefined;
      }
    })();
    return this.delivering;
  }

  /** Records each message's outcome in the ledger once, when it changes to sent, rejected, cancelled or uncertain. */
  private async recordOutcomes(): Promise<void> {
    await this.seeded;
    const ends: Record<string, 'succeeded' | 'failed' | 'cancelled' | 'info'> = {
      sent: 'succeeded',
      rejected: 'failed',
      cancelled: 'cancelled',
      uncertain: 'info',
    };
    for (const message of await this.outbox.list()) {
      const status = ends[message.state];
      if (!status || this.recorded.get(message.id) === message.state) continue;
      this.recorded.set(message.id, message.state);
      await this.options.audit.record([
        {
          action: 'comms.sent',
          status,
          correlationId: message.correlationId,
          summary: `${message.kind} for #${message.channel} ${message.state}${message.lastError ? `: ${message.lastError}` : ''} (message ${message.id})`,
          details: { messageId: message.id, channel: message.channel, attempts: message.attempts },
        },
      ]);
    }
  }

  private async requireMessage(id: string): Promise<OutboxMessage> {
    const message = await this.outbox.find(id);
    if (!message) throw new CockpitError('NOT_FOUND', `The outbox has no message ${id}.`);
    return message;
  }

  private async announce(): Promise<OutboxMessage[]> {
    const messages = await this.outbox.list();
    this.options.events.emit('comms:outbox-changed', { messages });
    return messages;
  }
}
