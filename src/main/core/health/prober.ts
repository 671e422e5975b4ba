/**
 * Health probes over undici: one keep-alive pool per origin, a deadline per request (undici's own
 * defaults wait five minutes), a bound on probes in flight. A probe never throws and never waits
 * past its deadline, so a hanging endpoint cannot delay the others.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { HealthStatus } from '../../../shared/matrix';

export interface ProbeTarget {
  /** Identifies the cell, e.g. `auth-service/staging`. */
  key: string;
  url: string;
}

export interface ProbeResult {
  status: HealthStatus;
  httpStatus?: number;
  latencyMs?: number;
  version?: string;
  commit?: string;
  checkedAt: string;
  /** Why it is not up, in words. */
  error?: string;
  /** What the endpoint answered (JSON indented), redacted and cut to `maxPayloadChars`. */
  payload?: string;
}

export interface SweepOptions {
  /** Which unreachable targets are probed once more before their miss stands. */
  askAgain?: (target: ProbeTarget) => boolean;
}

export interface ProberOptions {
  timeoutMs?: number;
  /** Probes in flight at once. */
  concurrency?: number;
  /** Above this latency an answering service counts as degraded. */
  slowMs?: number;
  clock?: () => Date;
  dispatcher?: Dispatcher;
  /** Hosts the prober may contact (all by default); others are reported unreachable unasked. */
  isHostAllowed?: (hostname: string) => boolean;
  /** Hides known secrets in what an endpoint answered before it is kept or shown. */
  redact?: (text: string) => string;
}

/** Only this machine: for tests and fully offline use. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

const maxBodyBytes = 64 * 1024;
/** The part of a health answer kept for the Matrix's cell panel. */
export const maxPayloadChars = 2_000;
const upWords = new Set(['ok', 'up', 'healthy', 'pass', 'passing']);
const degradedWords = new Set(['degraded', 'warn', 'warning']);

export class HealthProber {
  readonly timeoutMs: number;
  private readonly slowMs: number;
  private readonly clock: () => Date;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly gate: Semaphore;
  private readonly isHostAllowed: (hostname: string) => boolean;
  private readonly redact: (text: string) => string;

  constructor(options: ProberOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.slowMs = options.slowMs ?? 2_000;
    this.clock = options.clock ?? (() => new Date());
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({ keepAliveTimeout: 30_000, connections: 4, connect: { timeout: this.timeoutMs } });
    this.gate = new Semaphore(options.concurrency ?? 32);
    this.isHostAllowed = options.isHostAllowed ?? (() => true);
    this.redact = options.redact ?? ((text) => text);
  }

  /** Probes one endpoint; always resolves. */
  async probe(target: ProbeTarget, deadline?: AbortSignal): Promise<ProbeResult> {
    return this.gate.run(() => this.probeNow(target, deadline));
  }

  /**
   * Probes many endpoints at once (bounded); resolves within one deadline of the sweep's start,
   * however many endpoints hang or wait their turn.
   */
  async sweep(targets: ProbeTarget[], options: SweepOptions = {}): Promise<Map<string, ProbeResult>> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const results = new Map(
      await Promise.all(targets.map(async (target) => [target.key, await this.probe(target, deadline)] as const)),
    );
    const { askAgain } = options;
    if (!askAgain) return results;
    // A loaded machine or a lossy network drops a probe now and then: a miss is asked once more
    // (within a deadline of its own) before it stands.
    const missed = targets.filter((target) => results.get(target.key)!.status === 'unreachable' && askAgain(target));
    if (missed.length > 0) for (const [key, result] of await this.sweep(missed)) results.set(key, result);
    return results;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async probeNow(target: ProbeTarget, deadline?: AbortSignal): Promise<ProbeResult> {
    const began = performance.now();
    const checkedAt = () => this.clock().toISOString();
    if (!this.isHostAllowed(new URL(target.url).hostname)) {
      return {
        status: 'unreachable',
        checkedAt: checkedAt(),
        error: 'not probed: this host is outside the allowed hosts',
      };
    }
    // In a sweep every probe shares the sweep's deadline (no probe may outlast it anyway).
    const signal = deadline ?? AbortSignal.timeout(this.timeoutMs);
    if (signal.aborted)
      return { status: 'unreachable', checkedAt: checkedAt(), error: `no answer within ${this.timeoutMs} ms` };
    try {
      const response = await request(target.url, {
        dispatcher: this.dispatcher,
        method: 'GET',
        headers: { accept: 'application/json' },
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const declaredLength = Number(response.headers['content-length'] ?? Number.NaN);
      const text = declaredLength <= maxBodyBytes ? await response.body.text() : await readLimited(response.body);
      const latencyMs = Math.round((performance.now() - began) * 10) / 10;
      const json = parseJson(text);
      return {
        ...classify(response.statusCode, json, latencyMs, this.slowMs),
        httpStatus: response.statusCode,
        latencyMs,
        checkedAt: checkedAt(),
        ...(text.trim() === '' ? {} : { payload: payloadOf(text, json, this.redact) }),
      };
    } catch (error) {
      return { status: 'unreachable', checkedAt: checkedAt(), error: describeFailure(error, signal, this.timeoutMs) };
    }
  }
}

/** The answer as JSON, or `undefined` for plain text (the HTTP status then decides alone). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function classify(
  httpStatus: number,
  json: unknown,
  latencyMs: number,
  slowMs: number,
): Omit<ProbeResult, 'checkedAt'> {
  const body = (json && typeof json === 'object' ? json : {}) as {
    status?: unknown;
    version?: unknown;
    commit?: unknown;
  };
  const version = typeof body.version === 'string' ? body.version.replace(/^v/, '').slice(0, 100) : undefined;
  const commit = typeof body.commit === 'string' ? body.commit.slice(0, 64) : undefined;
  const word = typeof body.status === 'string' ? body.status.toLowerCase() : undefined;
  if (httpStatus >= 200 && httpStatus < 300) {
    if (word && degradedWords.has(word)) return { status: 'degraded', version, commit, error: `reports "${word}"` };
    if (word && !upWords.has(word)) return { status: 'down', version, commit, error: `reports "${word}"` };
    if (latencyMs > slowMs)
      return { status: 'degraded', version, commit, error: `answered in ${Math.round(latencyMs)} ms` };
    return { status: 'up', version, commit };
  }
  if (httpStatus === 429) return { status: 'degraded', version, commit, error: 'HTTP 429: rate limited' };
  return { status: 'down', version, commit, error: `HTTP ${httpStatus}${word ? `, reports "${word}"` : ''}` };
}

/** The answer as a person reads it: JSON indented, secrets hidden, at most `maxPayloadChars`. */
function payloadOf(text: string, json: unknown, redact: (text: string) => string): string {
  const redacted = redact(json === undefined ? text : JSON.stringify(json, null, 2));
  return redacted.length > maxPayloadChars ? `${redacted.slice(0, maxPayloadChars)}…` : redacted;
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) {
      body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFailure(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs} ms`;
  const code = (error as { code?: string }).code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ECONNRESET: 'connection reset',
    UND_ERR_SOCKET: 'the connection closed before an answer',
    UND_ERR_HEADERS_TIMEOUT: `no answer within ${timeoutMs} ms`,
    UND_ERR_BODY_TIMEOUT: `the answer stalled past ${timeoutMs} ms`,
    UND_ERR_CONNECT_TIMEOUT: `could not connect within ${timeoutMs} ms`,
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed (offline?)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
  };
  return (code && known[code]) ?? (error as Error).message ?? 'unreachable';
}

/** At most `limit` tasks at once; the rest wait their turn. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
