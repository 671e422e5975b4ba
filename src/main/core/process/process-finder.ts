/**
 * Finding a child again after a crash: the process whose environment carries a token the cockpit
 * gave it. On Linux from `/proc/<pid>/environ`, on macOS from `ps -E`; elsewhere it cannot be
 * known, and the caller must not assume the child is gone.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

/** The variable a deploy command's child receives its token in. */
export const deployTokenVariable = 'COCKPIT_DEPLOY_TOKEN';

/** Whether a process with this pid exists now. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pids of live processes whose environment holds `<deployTokenVariable>=<token>`, the first
 * started first (processes the command started inherit the token: the command itself is the
 * oldest), or `undefined` when this system cannot tell.
 */
export async function processesWithToken(token: string): Promise<number[] | undefined> {
  const needle = `${deployTokenVariable}=${token}`;
  if (process.platform === 'linux') {
    const found: { pid: number; startedAt: number }[] = [];
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const environ = await readFile(`/proc/${name}/environ`, 'latin1');
        if (!environ.split('\0').includes(needle)) continue;
        // Field 22 of stat (after the parenthesised name) is the start time in clock ticks.
        const stat = await readFile(`/proc/${name}/stat`, 'latin1');
        const startedAt = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
        found.push({ pid: Number(name), startedAt });
      } catch {
        // Gone meanwhile, or another user's process.
      }
    }
    return found.sort((a, b) => a.startedAt - b.startedAt).map((entry) => entry.pid);
  }
  if (process.platform === 'darwin') {
    try {
      const { stdout } = await promisify(execFile)('ps', ['-E', '-ww', '-o', 'pid=,command=', '-x']);
      return stdout
        .split('\n')
        .filter((line) => line.split(/\s+/).includes(needle))
        .map((line) => Number(line.trim().split(/\s+/)[0]));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
