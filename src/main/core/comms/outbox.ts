/**
 * The outbox: messages waiting to be sent to a Slack channel, kept on disk so nothing is lost
 * offline or across a crash. The file is an append-only log of events (queued, sending, sent,
 * retry, rejected, cancelled…), one JSON line each, written with one `write()` and fsynced; a
 * message's state is the fold of its events, and a torn last line (a crash mid-write) is skipped.
 *
 * A message is never sent twice: `sending` is written before the request leaves, so a message a
 * crashed sender left in `sending` becomes `uncertain` — it may have reached Slack — and waits for
 * a person to say whether it arrived (each message carries its id into Slack to check by) instead
 * of being sent again.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { appendLineDurably } from '../atomic-file';

export type OutboxState = 'queued' | 'sending' | 'retrying' | 'sent' | 'rejected' | 'cancelled' | 'uncertain';

export interface OutboxMessage {
  id: string;
  channel: string;
  kind: string;
  text: string;
  queuedAt: string;
  correlationId?: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt?: string;
  sentAt?: string;
  /** Why the last attempt did not deliver it, or why it waits. */
  lastError?: string;
}

type NewMessage = Pick<OutboxMessage, 'channel' | 'kind' | 'text' | 'correlationId'>;

type OutboxEvent =
  | { event: 'queued'; at: string; message: NewMessage & { id: string } }
  | { event: 'sending'; at: string; id: string }
  | { event: 'sent'; at: string; id: string }
  | { event: 'retry'; at: string; id: string; nextAttemptAt: string; reason: string }
  | { event: 'rejected'; at: string; id: string; reason: string }
  | { event: 'cancelled'; at: string; id: string }
  | { event: 'uncertain'; at: string; id: string; reason: string }
  | { event: 'resend'; at: string; id: string }
  | { event: 'marked-sent'; at: string; id: string };

/** What a person decides about an uncertain message. */
export type Resolution = 'resend' | 'mark-sent';

export class Outbox {
  private readonly file: string;

  constructor(
    folder: string,
    platformId: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.file = path.join(folder, `${platformId}.jsonl`);
  }

  /** `<data>/outbox`. */
  static folder(dataDir: string): string {
    return path.join(dataDir, 'outbox');
  }

  /** The lock a sender holds while it sends. */
  static lockPath(dataDir: string, platformId: string): string {
    return path.join(dataDir, 'locks', `outbox-${platformId}`);
  }

  async queue(message: NewMessage): Promise<OutboxMessage> {
    const queued = { event: 'queued' as const, at: this.now(), message: { id: randomUUID(), ...message } };
    await this.append(queued);
    return fresh(queued);
  }

  async list(): Promise<OutboxMessage[]> {
    const messages = new Map<string, OutboxMessage>();
    for (const event of await this.events()) {
      if (event.event === 'queued') {
        messages.set(event.message.id, fresh(event));
        continue;
      }
      const message = messages.get(event.id);
      if (message) apply(message, event);
    }
    return [...messages.values()];
  }

  async find(id: string): Promise<OutboxMessage | undefined> {
    return (await this.list()).find((message) => message.id === id);
  }

  // The sender's transitions, written before (sending) and after (the outcome) each request.
  markSending = (id: string) => this.append({ event: 'sending', at: this.now(), id });
  markSent = (id: string) => this.append({ event: 'sent', at: this.now(), id });
  /** Not delivered (offline, rate-limited, no webhook yet): tried again at `nextAttemptAt`. */
  markRetry = (id: string, nextAttemptAt: Date, reason: string) =>
    this.append({ event: 'retry', at: this.now(), id, nextAttemptAt: nextAttemptAt.toISOString(), reason });
  markRejected = (id: string, reason: string) => this.append({ event: 'rejected', at: this.now(), id, reason });
  markUncertain = (id: string, reason: string) => this.append({ event: 'uncertain', at: this.now(), id, reason });

  /** Cancels a message not sent yet (or discards a rejected one); false when it is sent or on its way. */
  async cancel(id: string): Promise<boolean> {
    const message = await this.find(id);
    if (!message || !['queued', 'retrying', 'uncertain', 'rejected'].includes(message.state)) return false;
    await this.append({ event: 'cancelled', at: this.now(), id });
    return true;
  }

  /**
   * A person's word on an uncertain message — send it again, or it did arrive — or on a rejected
   * one: send it again (once its cause is fixed, a webhook set up for instance).
   */
  async resolve(id: string, resolution: Resolution): Promise<boolean> {
    const message = await this.find(id);
    const isResendable = message?.state === 'uncertain' || (message?.state === 'rejected' && resolution === 'resend');
    if (!isResendable) return false;
    await this.append({ event: resolution === 'resend' ? 'resend' : 'marked-sent', at: this.now(), id });
    return true;
  }

  private async append(event: OutboxEvent): Promise<void> {
    await appendLineDurably(this.file, JSON.stringify(event));
  }

  private async events(): Promise<OutboxEvent[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as OutboxEvent] : [];
      } catch {
        return []; // a torn last line: that transition was never acknowledged
      }
    });
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

/** A message as it is right after being queued. */
function fresh(event: Extract<OutboxEvent, { event: 'queued' }>): OutboxMessage {
  return { ...event.message, queuedAt: event.at, state: 'queued', attempts: 0 };
}

function apply(message: OutboxMessage, event: Exclude<OutboxEvent, { event: 'queued' }>): void {
  switch (event.event) {
    case 'sending':
      message.state = 'sending';
      message.attempts++;
      return;
    case 'sent':
    case 'marked-sent':
      Object.assign(message, { state: 'sent', sentAt: event.at, lastError: undefined, nextAttemptAt: undefined });
      return;
    case 'retry':
      Object.assign(message, { state: 'retrying', nextAttemptAt: event.nextAttemptAt, lastError: event.reason });
      return;
    case 'rejected':
      Object.assign(message, { state: 'rejected', lastError: event.reason, nextAttemptAt: undefined });
      return;
    case 'cancelled':
      Object.assign(message, { state: 'cancelled', nextAttemptAt: undefined });
      return;
    case 'uncertain':
      Object.assign(message, { state: 'uncertain', lastError: event.reason });
      return;
    case 'resend':
      Object.assign(message, { state: 'queued', nextAttemptAt: undefined, lastError: undefined });
      return;
  }
}
