/**
 * Named places where a test can make the process die as a crash would (SIGKILL): the reliability
 * tests kill a deploy at exactly the moments that matter. Inert unless `COCKPIT_FAULT` names the
 * point; nothing else reads the variable.
 */

/** The moments a test may crash the process at. */
export type FaultPoint = 'after-spawn';

/** The threads a test may crash (an uncaught error ends a worker thread, not the process). */
export type ThreadFaultPoint = 'log-thread';

/** Dies at once, without cleanup, when the environment names this point. */
export function faultPoint(point: FaultPoint): void {
  if (process.env.COCKPIT_FAULT === point) process.kill(process.pid, 'SIGKILL');
}

/** Ends the current worker thread with an uncaught error, as a bug would, when the environment names it. */
export function threadFaultPoint(point: ThreadFaultPoint): void {
  if (process.env.COCKPIT_FAULT !== point) return;
  setImmediate(() => {
    throw new Error(`a fault injected at ${point}`);
  });
}
