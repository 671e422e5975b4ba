/**
 * Back-pressure from a run's log to what produces it. While the consumer (the terminal) is far
 * behind, a producer that can pause (a child's output pipe) stops reading, so the child waits on
 * its own writes and nothing piles up. A consumer that stalls (a frozen window: nothing
 * acknowledged for `maxPauseMs`) never holds a deploy: the producer goes on and the log bus
 * spills what waits to disk.
 */

export interface Backpressure {
  /** The consumer is behind: a producer that can pause should. */
  isCongested(): boolean;
  /** Resolves when the producer may go on, or once it has waited as long as it may. */
  whenFlowing(): Promise<void>;
}

/** What a producer sees when nothing is ever congested. */
export const noBackpressure: Backpressure = { isCongested: () => false, whenFlowing: () => Promise.resolve() };

/** How long a producer waits for a consumer that does not catch up before it goes on. */
export const defaultMaxPauseMs = 2_000;

/**
 * The congestion of each run, as the log bus reports it, and the producers waiting on it. A
 * producer waits while the consumer makes progress; a consumer that acknowledged nothing for
 * `maxPauseMs` has stalled, and the producer goes on.
 */
export class CongestionGate {
  private readonly congested = new Map<string, { progressAt: number; waiters: Set<() => void> }>();

  constructor(private readonly maxPauseMs = defaultMaxPauseMs) {}

  set(runId: string, isCongested: boolean): void {
    const entry = this.congested.get(runId);
    if (isCongested) {
      if (!entry) this.congested.set(runId, { progressAt: performance.now(), waiters: new Set() });
      return;
    }
    this.congested.delete(runId);
    for (const wake of entry?.waiters ?? []) wake();
  }

  /** The consumer acknowledged some of a congested run: it is slow, not stalled. */
  progress(runId: string): void {
    const entry = this.congested.get(runId);
    if (entry) entry.progressAt = performance.now();
  }

  backpressure(runId: string): Backpressure {
    return {
      isCongested: () => this.pauseLeft(runId) > 0,
      whenFlowing: () =>
        new Promise<void>((resolve) => {
          const entry = this.congested.get(runId);
          if (!entry || this.pauseLeft(runId) <= 0) return resolve();
          let timer: ReturnType<typeof setTimeout> | undefined;
          const wake = () => {
            clearTimeout(timer);
            entry.waiters.delete(wake);
            resolve();
          };
          const check = () => {
            const left = this.pauseLeft(runId);
            if (left <= 0) wake();
            else timer = setTimeout(check, left);
          };
          entry.waiters.add(wake);
          check();
        }),
    };
  }

  private pauseLeft(runId: string): number {
    const entry = this.congested.get(runId);
    return entry ? this.maxPauseMs - (performance.now() - entry.progressAt) : 0;
  }
}
