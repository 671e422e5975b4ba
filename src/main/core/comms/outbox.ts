/**
 * The outbox: messages waiting to be sent to a Slack channel, kept on disk so nothing is lost
 * offline or across a crash. One JSON line per message, written with one `write()` and fsynced; a
 * torn last line (a crash mid-write) is skipped on reading. Each message carries an id that the
 * sender uses as its idempotency key, so a message is never sent twice.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { appendLineDurably } from '../atomic-file';

export interface OutboxMessage {
  id: string;
  channel: string;
  kind: string;
  text: string;
  queuedAt: string;
  correlationId?: string;
}

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

  async queue(message: Omit<OutboxMessage, 'id' | 'queuedAt'>): Promise<OutboxMessage> {
    const queued: OutboxMessage = { id: randomUUID(), queuedAt: this.clock().toISOString(), ...message };
    await appendLineDurably(this.file, JSON.stringify(queued));
    return queued;
  }

  async list(): Promise<OutboxMessage[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as OutboxMessage] : [];
      } catch {
        return []; // a torn last line: the message was never acknowledged as queued
      }
    });
  }
}
