/**
 * The outbox sending to a Slack webhook stand-in on 127.0.0.1: offline then back, rate limited,
 * refused, and killed mid-request — each message delivered exactly once, none lost.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../../../src/main/core/comms/outbox';
import { OutboxSender } from '../../../../src/main/core/comms/outbox-sender';
import { bundleScript } from '../../../helpers/bundle-script';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { startSlackStandIn, type SlackStandIn } from '../../../stand-ins/slack-webhook-stand-in';

const standIns: SlackStandIn[] = [];
afterEach(async () => {
  for (const standIn of standIns.splice(0)) await standIn.close();
});

async function slack(port?: number) {
  const standIn = await startSlackStandIn(port);
  standIns.push(standIn);
  return standIn;
}

/** An outbox and a sender on a clock the test moves. */
function outboxWith(webhookUrl: () => string | undefined) {
  const dataDir = temporaryDataDir();
  const clock = { now: new Date('2026-12-01T10:00:00Z') };
  const outbox = new Outbox(Outbox.folder(dataDir), 'shop', () => clock.now);
  const sender = new OutboxSender({
    outbox,
    lockPath: Outbox.lockPath(dataDir, 'shop'),
    webhookUrl: async () => webhookUrl(),
    clock: () => clock.now,
  });
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { dataDir, outbox, sender, clock, advance };
}

const notice = (text: string) => ({ channel: 'incidents', kind: 'rollback-notice', text });

describe('the outbox sender', () => {
  it('sends nothing while Slack cannot be reached, then delivers each message exactly once', async () => {
    const standIn = await slack();
    const { url, port } = standIn;
    await standIn.close();
    standIns.length = 0;
    const { outbox, sender, advance } = outboxWith(() => url);
    const queued = [
      await outbox.queue(notice('one')),
      await outbox.queue(notice('two')),
      await outbox.queue(notice('three')),
    ];

    expect(await sender.deliverDue()).toMatchObject({ sent: 0, retrying: 3 });
    const waiting = await outbox.list();
    expect(waiting.map((message) => message.state)).toEqual(['retrying', 'retrying', 'retrying']);
    expect(waiting[0]!.lastError).toContain('could not be reached');
    expect(waiting[0]!.lastError).not.toContain('standInWebhookToken'); // the URL is a secret
    expect(waiting[0]!.nextAttemptAt).toBe('2026-12-01T10:00:05.000Z');

    const back = await slack(port); // the network is back
    expect(await sender.deliverDue()).toMatchObject({ sent: 0 }); // not due yet
    advance(5_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 3 });
    advance(3_600_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 0, retrying: 0 });
    for (const message of queued) expect(back.deliveriesOf(message.id)).toBe(1);
    expect(back.received.map((payload) => payload.text)).toEqual(['one', 'two', 'three']);
    expect((await outbox.list()).every((message) => message.state === 'sent' && message.attempts === 2)).toBe(true);
  });

  it('waits as long as a 429 says in Retry-After, then sends', async () => {
    const standIn = await slack();
    standIn.answers.push({ status: 429, body: 'rate_limited', retryAfterSeconds: 30 });
    const { outbox, sender, advance } = outboxWith(() => standIn.url);
    const message = await outbox.queue(notice('rate limited'));
    expect(await sender.deliverDue()).toMatchObject({ retrying: 1 });
    expect((await outbox.find(message.id))!.nextAttemptAt).toBe('2026-12-01T10:00:30.000Z');
    advance(29_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 0 });
    advance(1_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 1 });
    // Slack saw it twice: refused once with 429, delivered once.
    expect(standIn.received).toHaveLength(2);
    expect((await outbox.find(message.id))!.state).toBe('sent');
  });

  it('backs off longer after each failure and gives up on what Slack refuses for good', async () => {
    const standIn = await slack();
    standIn.answers.push({ status: 500, body: 'rollup_error' }, { status: 500, body: 'rollup_error' });
    const { outbox, sender, advance } = outboxWith(() => standIn.url);
    const message = await outbox.queue(notice('flaky'));
    await sender.deliverDue();
    expect((await outbox.find(message.id))!.nextAttemptAt).toBe('2026-12-01T10:00:05.000Z');
    advance(5_000);
    await sender.deliverDue();
    expect((await outbox.find(message.id))!.nextAttemptAt).toBe('2026-12-01T10:00:15.000Z'); // 10 s later
    advance(10_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 1 });

    standIn.answers.push({ status: 404, body: 'channel_not_found' });
    const refused = await outbox.queue(notice('nowhere'));
    expect(await sender.deliverDue()).toMatchObject({ rejected: 1 });
    expect(await outbox.find(refused.id)).toMatchObject({
      state: 'rejected',
      lastError: 'Slack refused the message: 404 channel_not_found',
    });
    advance(3_600_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 0, rejected: 0 });
  });

  it('keeps a message while no webhook is set, and never sends a cancelled one', async () => {
    const standIn = await slack();
    const webhook: { url?: string } = {};
    const { outbox, sender, advance } = outboxWith(() => webhook.url);
    const waiting = await outbox.queue(notice('waits for a webhook'));
    const cancelled = await outbox.queue(notice('cancelled'));
    expect(await outbox.cancel(cancelled.id)).toBe(true);
    await sender.deliverDue();
    expect(await outbox.find(waiting.id)).toMatchObject({ state: 'retrying', attempts: 0 });
    expect((await outbox.find(waiting.id))!.lastError).toContain('No webhook URL for #incidents');
    webhook.url = standIn.url;
    advance(30_000);
    expect(await sender.deliverDue()).toMatchObject({ sent: 1 });
    expect(standIn.deliveriesOf(waiting.id)).toBe(1);
    expect(standIn.deliveriesOf(cancelled.id)).toBe(0);
    expect(await outbox.cancel(waiting.id)).toBe(false); // already sent
  });

  it('killed while a request is in flight: the message is neither lost nor sent again', async () => {
    const script = await bundleScript(path.join(import.meta.dirname, 'outbox-sender.fixture.ts'));
    const standIn = await slack();
    standIn.answers.push('hang');
    const { dataDir, outbox, sender } = outboxWith(() => standIn.url);
    const inFlight = await outbox.queue(notice('in flight when the cockpit died'));
    const child = spawn(process.execPath, [script, dataDir, 'shop', standIn.url], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => (standIn.onRequest = resolve));
    child.kill('SIGKILL');
    await exited;
    const later = await outbox.queue(notice('queued after'));
    expect((await outbox.find(inFlight.id))!.state).toBe('sending');

    // The next sender takes over the dead one's lock: the message may have arrived, so it asks.
    expect(await sender.deliverDue()).toMatchObject({ uncertain: 1, sent: 1 });
    expect((await outbox.find(inFlight.id))!.state).toBe('uncertain');
    expect(await sender.deliverDue()).toMatchObject({ sent: 0, uncertain: 0 });
    expect(standIn.deliveriesOf(inFlight.id)).toBe(1);
    expect(standIn.deliveriesOf(later.id)).toBe(1);

    // A person checked the channel: it did arrive.
    expect(await outbox.resolve(inFlight.id, 'mark-sent')).toBe(true);
    expect((await outbox.find(inFlight.id))!.state).toBe('sent');
    expect(standIn.deliveriesOf(inFlight.id)).toBe(1);
  });

  it('sends an uncertain message again only when a person says it did not arrive', async () => {
    const standIn = await slack();
    const { outbox, sender } = outboxWith(() => standIn.url);
    const message = await outbox.queue(notice('lost in flight'));
    await outbox.markSending(message.id); // as a sender that died before its request left
    await sender.deliverDue();
    expect(standIn.deliveriesOf(message.id)).toBe(0);
    expect(await outbox.resolve(message.id, 'resend')).toBe(true);
    expect(await sender.deliverDue()).toMatchObject({ sent: 1 });
    expect(standIn.deliveriesOf(message.id)).toBe(1);
  });
});
