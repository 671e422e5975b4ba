// A separate process serving many loopback health endpoints, some slow, some hanging, so a
// benchmark measures the prober, not servers sharing its event loop. Prints the URLs as JSON.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const count = Number(process.argv[2] ?? 200);
const slowEvery = Number(process.argv[3] ?? 10);
const hangEvery = Number(process.argv[4] ?? 10);
const slowMs = Number(process.argv[5] ?? 40);

const urls: { url: string; kind: 'fast' | 'slow' | 'hang' }[] = [];
for (let index = 0; index < count; index++) {
  const kind = index % hangEvery === hangEvery - 1 ? 'hang' : index % slowEvery === slowEvery - 2 ? 'slow' : 'fast';
  const server = createServer((_request, response) => {
    if (kind === 'hang') return;
    const answer = () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok', version: '1.0.0', commit: 'abc' }));
    };
    if (kind === 'slow') setTimeout(answer, slowMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  urls.push({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/health`, kind });
}
process.stdout.write(`${JSON.stringify(urls)}\n`);
// Stops when the benchmark closes stdin (or after ten minutes at most).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
setTimeout(() => process.exit(0), 600_000).unref();
