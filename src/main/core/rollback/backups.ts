/**
 * The database backups a level 3 rollback can restore: the entries of the platform's backup
 * folder (`rollback.backups.path`, with {environment}) that match its pattern, each with the time
 * it was taken (from a date in its name, else its modification time) and its size; newest first.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '../platform/schema';
import { CockpitError } from '../errors';

export interface Backup {
  /** The entry's name in the backup folder. */
  id: string;
  path: string;
  takenAt: string;
  sizeBytes: number;
}

/** The backup folder of an environment, or undefined when the platform declares none. */
export function backupFolder(platform: Platform, environment: string): string | undefined {
  return platform.rollback.backups?.path.replaceAll('{environment}', environment);
}

export async function listBackups(platform: Platform, environment: string): Promise<Backup[]> {
  const folder = backupFolder(platform, environment);
  if (!folder)
    throw new CockpitError(
      'NOT_CONFIGURED',
      `${platform.name} declares no backups: add rollback.backups.path to the platform file.`,
    );
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new CockpitError(
      'NOT_FOUND',
      `The backup folder ${folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): check rollback.backups.path and that the backups are mounted.`,
    );
  }
  const matches = globMatcher(platform.rollback.backups?.pattern ?? '*');
  const backups = await Promise.all(
    names
      .filter((name) => !name.startsWith('.') && matches(name))
      .map(async (name): Promise<Backup> => {
        const entry = path.join(folder, name);
        const info = await stat(entry);
        return {
          id: name,
          path: entry,
          takenAt: (dateInName(name) ?? info.mtime).toISOString(),
          sizeBytes: info.isDirectory() ? await folderSize(entry) : info.size,
        };
      }),
  );
  return backups.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}

/** A date written in a backup's name: `2026-11-21T02-00-00Z`, `penpal-ai-2025-01-15-02-00.gz`. */
export function dateInName(name: string): Date | undefined {
  const match = /(\d{4})-(\d{2})-(\d{2})(?:[T_-](\d{2})[-:](\d{2})(?:[-:](\d{2}))?)?/.exec(name);
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `*` and `?` wildcards over a whole name; nothing else is special. */
function globMatcher(pattern: string): (name: string) => boolean {
  const expression = new RegExp(
    `^${pattern
      .split('')
      .map((character) =>
        character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`,
  );
  return (name) => expression.test(name);
}

async function folderSize(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}
