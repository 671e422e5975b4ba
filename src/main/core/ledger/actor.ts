/**
 * Who is acting, for the ledger: the git identity when one is configured, else the OS user.
 * (The roster of named roles comes with the policy.)
 */
import os from 'node:os';
import path from 'node:path';
import type { LedgerActor } from '../../../shared/ledger-record';
import { runGit } from '../git/hardened-git';

export async function resolveActor(): Promise<LedgerActor> {
  const read = async (key: string) => {
    try {
      // From the file system's root: the folder the command runs in is no business of the identity.
      const cwd = path.parse(process.cwd()).root;
      return (await runGit(['config', '--global', '--get', key], { cwd })).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const [name, email] = await Promise.all([read('user.name'), read('user.email')]);
  if (name) return { name, email, source: 'git' };
  let user = 'unknown user';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the placeholder.
  }
  return { name: user, source: 'os' };
}
