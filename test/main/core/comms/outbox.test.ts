import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../../../src/main/core/comms/outbox';
import { buildStartedCockpit, temporaryDataDir } from '../../../helpers/cockpit-builder';
import { startSlackStandIn } from '../../../stand-ins/slack-webhook-stand-in';

describe('the outbox', () => {
  it('keeps each queued message with its own id, and skips a torn last line', async () => {
    const folder = temporaryDataDir();
    const outbox = new Outbox(folder, 'shop', () => new Date('2026-12-01T10:00:00Z'));
    const first = await outbox.queue({ channel: 'incidents', kind: 'rollback-notice', text: 'one' });
    const second = await outbox.queue({ channel: 'incidents', kind: 'maintenance-notice', text: 'two' });
    expect(first.id).not.toBe(second.id);
    appendFileSync(path.join(folder, 'shop.jsonl'), '{"id":"torn","chan');
    expect(await new Outbox(folder, 'shop').list()).toEqual([first, second]);
    expect(first).toMatchObject({ queuedAt: '2026-12-01T10:00:00.000Z', text: 'one' });
  });

  it('sends a rejected message again when a person says so, or discards it; a sent one stays sent', async () => {
    const outbox = new Outbox(temporaryDataDir(), 'shop', () => new Date('2026-12-01T10:00:00Z'));
    const retried = await outbox.queue({ channel: 'incidents', kind: 'rollback-notice', text: 'one' });
    const discarded = await outbox.queue({ channel: 'incidents', kind: 'rollback-notice', text: 'two' });
    const sent = await outbox.queue({ channel: 'incidents', kind: 'rollback-notice', text: 'three' });
    await outbox.markRejected(retried.id, 'no webhook URL for #incidents');
    await outbox.markRejected(discarded.id, 'no webhook URL for #incidents');
    await outbox.markSent(sent.id);
    // A rejected message cannot be said to have arrived: only sent again.
    expect(await outbox.resolve(retried.id, 'mark-sent')).toBe(false);
    expect(await outbox.resolve(retried.id, 'resend')).toBe(true);
    expect(await outbox.cancel(discarded.id)).toBe(true);
    expect(await outbox.resolve(sent.id, 'resend')).toBe(false);
    expect(await outbox.cancel(sent.id)).toBe(false);
    const states = Object.fromEntries((await outbox.list()).map((message) => [message.text, message.state]));
    expect(states).toEqual({ one: 'queued', two: 'cancelled', three: 'sent' });
  });
});

describe('comms:queue in the cockpit', () => {
  it('queues a notice for a channel of the platform, masked, and records it in the ledger', async () => {
    const { cockpit } = await buildStartedCockpit({ actor: { name: 'On Call', source: 'git' } });
    const dataDir = ((await cockpit.dispatch('app:info', {})) as { value: { dataDir: string } }).value.dataDir;
    await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'ghp_never_in_a_message_42' });
    const reply = await cockpit.dispatch('comms:queue', {
      channel: 'incidents',
      kind: 'rollback-notice',
      text: 'Rolling back; the token ghp_never_in_a_message_42 leaked',
      correlationId: 'rollback-1',
    });
    expect(reply).toMatchObject({ ok: true, value: { messageId: expect.any(String) } });
    const outbox = readFileSync(path.join(dataDir, 'outbox', 'penpal-ai.jsonl'), 'utf8');
    expect(outbox).toContain('Rolling back; the token *** leaked');
    expect(outbox).not.toContain('ghp_never_in_a_message_42');
    const ledger = await cockpit.dispatch('ledger:query', { search: 'queued' });
    expect(JSON.stringify(ledger)).toContain('rollback-notice queued for #incidents');

    expect(
      await cockpit.dispatch('comms:queue', { channel: 'nowhere', kind: 'rollback-notice', text: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await cockpit.dispatch('comms:queue', { channel: 'incidents', kind: 'tweet', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
  });
});

describe('comms:test-channel in the cockpit', () => {
  it('posts a test message to the channel’s webhook now and says whether Slack took it, in the ledger', async () => {
    const slack = await startSlackStandIn();
    try {
      const { cockpit } = await buildStartedCockpit({ actor: { name: 'On Call', source: 'git' } });
      const missing = await cockpit.dispatch('comms:test-channel', { channel: 'incidents' });
      expect(missing).toMatchObject({ ok: true, value: { isSent: false } });
      expect(JSON.stringify(missing)).toContain('set the credential slack-incidents-webhook first');
      await cockpit.dispatch('credentials:set', { id: 'slack-incidents-webhook', value: slack.url });
      expect(await cockpit.dispatch('comms:test-channel', { channel: 'incidents' })).toMatchObject({
        ok: true,
        value: { isSent: true, detail: 'Slack took the test message for #incidents.' },
      });
      expect(slack.received.at(-1)?.text).toContain('test message for #incidents from On Call');
      slack.answers.push({ status: 404, body: 'no_service' });
      const refused = await cockpit.dispatch('comms:test-channel', { channel: 'incidents' });
      expect(refused).toMatchObject({ ok: true, value: { isSent: false } });
      expect(JSON.stringify(refused)).toContain('404 no_service');
      expect(JSON.stringify(refused)).not.toContain(slack.url);
      const ledger = await cockpit.dispatch('ledger:query', { action: 'comms.sent', limit: 10 });
      const statuses = (ledger as { value: { records: { status: string }[] } }).value.records.map(
        (record) => record.status,
      );
      expect(statuses).toEqual(['failed', 'started', 'succeeded', 'started']);
      expect(await cockpit.dispatch('comms:test-channel', { channel: 'nowhere' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      cockpit.stop();
    } finally {
      await slack.close();
    }
  });
});
