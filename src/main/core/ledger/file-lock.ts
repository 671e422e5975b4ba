/**
 * A lock that one process holds at a time and that a crashed process cannot hold forever.
 *
 * The lock is a folder whose `owner.json` names the holder's host, pid, a random token and a lease
 * expiry. It is prepared under a private name with its owner file inside, then renamed into place
 * (atomic, and refused when a holder's folder is there), so a lock folder never lacks its owner. A lock whose holder process is gone (same host) or
 * whose lease has expired may be taken over: it is first renamed aside (only one contender can
 * win that rename), then checked to be the one judged stale.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { CockpitError } from '../errors';

const Owner = z.object({ host: z.string(), pid: z.number().int(), token: z.string(), expiresAt: z.number() });
type Owner = z.infer<typeof Owner>;

export interface LockOptions {
  /** How long a holder may keep the lock without renewing it. */
  leaseMs?: number;
  /** How long to keep trying before giving up with a typed error. */
  waitMs?: number;
  /** Names the resource in the error message. */
  description: string;
}

export interface HeldLock {
  /** Extends the lease (for long holders). */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/** Takes the lock at `lockPath`, waiting up to `waitMs`. */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const leaseMs = options.leaseMs ?? 30_000;
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  const owner: Owner = { host: os.hostname(), pid: process.pid, token: randomBytes(12).toString('hex'), expiresAt: 0 };
  const ownerFile = path.join(lockPath, 'owner.json');
  const writeOwner = async () => {
    owner.expiresAt = Date.now() + leaseMs;
    await writeFile(ownerFile, JSON.stringify(owner));
  };
  await mkdir(path.dirname(lockPath), { recursive: true });
  const pending = `${lockPath}.new-${owner.token}`;
  await mkdir(pending);
  try {
    for (let attempt = 0; ; attempt++) {
      owner.expiresAt = Date.now() + leaseMs;
      await writeFile(path.join(pending, 'owner.json'), JSON.stringify(owner));
      try {
        await rename(pending, lockPath);
        return {
          renew: writeOwner,
          // Moved aside in one rename, then removed: a lock folder is never seen half-deleted (empty).
          release: () => removeIfHeldBy(lockPath, owner.token),
        };
      } catch (error) {
        if (!['ENOTEMPTY', 'EEXIST', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      }
      const holder = await readOwner(ownerFile);
      if (holder && isStale(holder)) {
        // A dead or expired holder: move its lock aside and try again at once, whatever the deadline.
        await removeIfHeldBy(lockPath, holder.token);
        if (attempt < 20) continue;
      } else if (!holder) await takeOverIfOwnerless(lockPath, ownerFile);
      if (Date.now() > deadline) {
        throw new CockpitError(
          'LOCKED',
          `${options.description} is in use by ${holder ? `process ${holder.pid} on ${holder.host}` : 'another process'}; try again when it is done.`,
        );
      }
      await delay(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
    }
  } finally {
    // Gone once renamed into place; otherwise our unused preparation.
    await rm(pending, { recursive: true, force: true });
  }
}

function isStale(holder: Owner): boolean {
  if (holder.expiresAt < Date.now()) return true;
  return holder.host === os.hostname() && !isProcessAlive(holder.pid);
}

/** Moves the lock aside in one rename and removes it, if `token` (undefined: no owner) holds it. */
async function removeIfHeldBy(lockPath: string, token: string | undefined): Promise<void> {
  const aside = `${lockPath}.removing-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // Someone else moved it first.
  }
  const moved = await readOwner(path.join(aside, 'owner.json'));
  if (moved?.token !== token) {
    // We moved a lock that another holder took in between: put it back.
    await rename(aside, lockPath).catch(() => undefined);
    return;
  }
  await rm(aside, { recursive: true, force: true });
}

/** A lock folder without an owner file (left by an older cockpit killed mid-take): it goes. */
async function takeOverIfOwnerless(lockPath: string, ownerFile: string): Promise<void> {
  await delay(100);
  if ((await readOwner(ownerFile)) === undefined) await removeIfHeldBy(lockPath, undefined);
}

async function readOwner(ownerFile: string): Promise<Owner | undefined> {
  try {
    const parsed = Owner.safeParse(JSON.parse(await readFile(ownerFile, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
