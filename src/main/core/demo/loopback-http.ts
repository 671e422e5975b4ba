/**
 * The demo's own health reads: one GET to an instance on 127.0.0.1, its JSON body. Plain
 * `node:http` rather than `fetch`: the demo's deploy, start and status commands run as one
 * process per step, and loading the fetch machinery cost each of them more than the step's work.
 * The product's probes and providers use undici (health/prober.ts).
 */

// Taken as the builtin itself, not through `import`: an ESM import of `node:http` reads every
// export of the module, and one of them loads Node's fetch (what this file exists to avoid).
const { get } = process.getBuiltinModule('node:http') as typeof import('node:http');

export interface LoopbackAnswer {
  status: number;
  body: unknown;
}

/** GETs `url` and parses its body as JSON; rejects on a socket error, bad JSON or `timeoutMs`. */
export function getJson(url: string, timeoutMs: number): Promise<LoopbackAnswer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
