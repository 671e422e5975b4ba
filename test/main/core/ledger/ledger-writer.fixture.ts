// A child process that appends to a ledger one record at a time and prints `ack <seq> <id>` once
// each append has resolved (durable). Tests kill it or run several at once.
import { Ledger } from '../../../../src/main/core/ledger/ledger';

const [folder, countText, writer] = process.argv.slice(2);
const ledger = new Ledger({
  folder: folder!,
  platformId: 'penpal-ai',
  actor: { name: writer ?? 'writer', source: 'os' },
});
const count = Number(countText ?? 1000);
for (let index = 0; index < count; index++) {
  const [record] = await ledger.append([
    { action: 'deploy.step', status: 'succeeded', summary: `${writer} step ${index}`, details: { writer, index } },
  ]);
  process.stdout.write(`ack ${record!.seq} ${record!.id}\n`);
}
