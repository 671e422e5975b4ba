/**
 * Named places where a test can make the process die as a crash would (SIGKILL): the reliability
 * tests kill a deploy at exactly the moments that matter. Inert unless `COCKPIT_FAULT` names the
 * point; nothing else reads the variable.
 */

/** The moments a test may crash the process at. */
export type FaultPoint = 'after-spawn';

/** Dies at once, without cleanup, when the environment names this point. */
export function faultPoint(point: FaultPoint): void {
  if (process.env.COCKPIT_FAULT === point) process.kill(process.pid, 'SIGKILL');
}
