// A service of the Release Cockpit demo platform: a small real HTTP server that reports its health
// and version (read from the package.json of the release it runs from), exposes Prometheus
// metrics, and has a loopback-only drill switch that adds latency, errors or an outage.
// It has no dependencies: `node service.mjs` runs it. Configuration comes from the environment.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 0);
const serviceId = process.env.SERVICE_ID ?? 'service';
const environment = process.env.ENVIRONMENT ?? 'local';
const commit = process.env.RELEASE_COMMIT ?? 'unknown';
const startupDelayMs = Number(process.env.STARTUP_DELAY_MS ?? 0);
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const startedAt = Date.now();

const drill = { latencyMs: 0, errorRate: 0, unhealthy: false };
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const histogram = { counts: buckets.map(() => 0), sum: 0, count: 0 };
const requests = new Map();
let errors = 0;

function record(seconds, status) {
  buckets.forEach((bound, index) => {
    if (seconds <= bound) histogram.counts[index] += 1;
  });
  histogram.sum += seconds;
  histogram.count += 1;
  requests.set(status, (requests.get(status) ?? 0) + 1);
  if (status >= 500) errors += 1;
}

// Synthetic traffic, so latency and error metrics move even when nobody calls the service.
setInterval(() => {
  const seconds = (5 + Math.random() * 25 + drill.latencyMs) / 1000;
  record(seconds, Math.random() < drill.errorRate ? 500 : 200);
}, 250).unref();

function metrics() {
  const labels = `service="${serviceId}",environment="${environment}"`;
  const lines = [
    '# HELP app_info The running release.',
    '# TYPE app_info gauge',
    `app_info{${labels},version="${version}",commit="${commit}"} 1`,
    '# HELP http_request_duration_seconds Request latency.',
    '# TYPE http_request_duration_seconds histogram',
  ];
  buckets.forEach((bound, index) => {
    lines.push(`http_request_duration_seconds_bucket{${labels},le="${bound}"} ${histogram.counts[index]}`);
  });
  lines.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${histogram.count}`);
  lines.push(`http_request_duration_seconds_sum{${labels}} ${histogram.sum}`);
  lines.push(`http_request_duration_seconds_count{${labels}} ${histogram.count}`);
  lines.push('# HELP http_requests_total Requests by status code.', '# TYPE http_requests_total counter');
  for (const [status, count] of requests) lines.push(`http_requests_total{${labels},code="${status}"} ${count}`);
  lines.push(
    '# HELP http_request_errors_total Requests that failed with a 5xx.',
    '# TYPE http_request_errors_total counter',
  );
  lines.push(`http_request_errors_total{${labels}} ${errors}`);
  lines.push('# HELP process_resident_memory_bytes Resident memory.', '# TYPE process_resident_memory_bytes gauge');
  lines.push(`process_resident_memory_bytes{${labels}} ${process.memoryUsage().rss}`);
  const cpu = process.cpuUsage();
  lines.push('# HELP process_cpu_seconds_total CPU time used.', '# TYPE process_cpu_seconds_total counter');
  lines.push(`process_cpu_seconds_total{${labels}} ${(cpu.user + cpu.system) / 1e6}`);
  return `${lines.join('\n')}\n`;
}

function isLoopback(address) {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function send(response, status, body, contentType = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(text);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/api/v1/health' || url.pathname === '/api/health') {
    const isStarting = Date.now() - startedAt < startupDelayMs;
    const status = drill.unhealthy ? 'down' : isStarting ? 'starting' : 'ok';
    return send(response, status === 'ok' ? 200 : 503, {
      status,
      service: serviceId,
      environment,
      version,
      commit,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    });
  }
  if (url.pathname === '/metrics') return send(response, 200, metrics(), 'text/plain; version=0.0.4');
  if (url.pathname === '/drill') {
    if (!isLoopback(request.socket.remoteAddress))
      return send(response, 403, { error: 'The drill switch only answers loopback callers.' });
    if (request.method === 'GET') return send(response, 200, drill);
    if (request.method !== 'POST') return send(response, 405, { error: 'Use GET or POST.' });
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10_000) request.destroy();
    });
    request.on('end', () => {
      try {
        const change = JSON.parse(body || '{}');
        if (change.latencyMs !== undefined)
          drill.latencyMs = Math.max(0, Math.min(60_000, Number(change.latencyMs) || 0));
        if (change.errorRate !== undefined) drill.errorRate = Math.max(0, Math.min(1, Number(change.errorRate) || 0));
        if (change.unhealthy !== undefined) drill.unhealthy = change.unhealthy === true;
        send(response, 200, drill);
      } catch {
        send(response, 400, { error: 'Expected JSON like {"latencyMs": 300, "errorRate": 0.1, "unhealthy": false}.' });
      }
    });
    return undefined;
  }
  if (url.pathname.startsWith('/api/v1/')) {
    const begin = Date.now();
    setTimeout(() => {
      const status = Math.random() < drill.errorRate ? 500 : 200;
      record((Date.now() - begin) / 1000, status);
      send(
        response,
        status,
        status === 200 ? { service: serviceId, path: url.pathname } : { error: 'drill: injected error' },
      );
    }, drill.latencyMs);
    return undefined;
  }
  return send(response, 404, { error: 'Not found' });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${serviceId} ${version} (${environment}) listening on 127.0.0.1:${server.address().port}\n`);
});

function shutdown() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
