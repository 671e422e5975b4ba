// A child process that sends the outbox once, to the webhook URL it is given: tests kill it
// while its request is in flight.
import { Outbox } from '../../../../src/main/core/comms/outbox';
import { OutboxSender } from '../../../../src/main/core/comms/outbox-sender';

const [dataDir, platformId, webhookUrl] = process.argv.slice(2);
const sender = new OutboxSender({
  outbox: new Outbox(Outbox.folder(dataDir!), platformId!),
  lockPath: Outbox.lockPath(dataDir!, platformId!),
  webhookUrl: async () => webhookUrl,
});
process.stdout.write(`${JSON.stringify(await sender.deliverDue())}\n`);
