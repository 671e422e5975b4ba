/**
 * The demo's database: a folder of JSON documents per environment, with dated backups, a restore
 * that swaps the folder whole, and an integrity check — enough for the level 3 rollback drill.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const collections = {
  users: [
    { id: 'u1', email: 'ana@example.com', plan: 'premium' },
    { id: 'u2', email: 'bruno@example.com', plan: 'free' },
    { id: 'u3', email: 'chloe@example.com', plan: 'premium' },
  ],
  conversations: [
    { id: 'c1', userId: 'u1', messages: 42 },
    { id: 'c2', userId: 'u3', messages: 7 },
  ],
  payments: [{ id: 'p1', userId: 'u1', amountCents: 999, currency: 'EUR' }],
};

const manifestName = 'manifest.json';

interface Manifest {
  collections: Record<string, { documents: number; sha256: string }>;
  writtenAt: string;
}

/** Creates the environment's data and three dated backups, unless they exist. */
export async function ensureDataStore(dataFolder: string, backupsFolder: string, now: Date): Promise<void> {
  if (!existsSync(path.join(dataFolder, manifestName))) await writeCollections(dataFolder, collections, now);
  if (existsSync(backupsFolder) && (await readdir(backupsFolder)).length > 0) return;
  for (const daysAgo of [3, 2, 1]) {
    const takenAt = new Date(now.getTime() - daysAgo * 86_400_000);
    await cp(dataFolder, path.join(backupsFolder, backupName(takenAt)), { recursive: true });
  }
}

/** A backup folder name that sorts by date: `2026-11-21T02-00-00Z`. */
export function backupName(takenAt: Date): string {
  return takenAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-');
}

/** Replaces the data folder with a backup: copy beside, check, then swap by rename. */
export async function restoreBackup(dataFolder: string, backupFolder: string): Promise<void> {
  const problems = await checkDataStore(backupFolder);
  if (problems.length > 0) throw new Error(`The backup ${backupFolder} is damaged: ${problems.join('; ')}`);
  const incoming = `${dataFolder}.restoring`;
  const outgoing = `${dataFolder}.replaced`;
  await rm(incoming, { recursive: true, force: true });
  await rm(outgoing, { recursive: true, force: true });
  await cp(backupFolder, incoming, { recursive: true });
  if (existsSync(dataFolder)) await rename(dataFolder, outgoing);
  await rename(incoming, dataFolder);
  await rm(outgoing, { recursive: true, force: true });
}

/** Every integrity problem of a data folder (empty when sound). */
export async function checkDataStore(folder: string): Promise<string[]> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(folder, manifestName), 'utf8')) as Manifest;
  } catch {
    return [`${manifestName} is missing or unreadable`];
  }
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(manifest.collections)) {
    try {
      const text = await readFile(path.join(folder, `${name}.json`), 'utf8');
      const documents = JSON.parse(text) as unknown[];
      if (!Array.isArray(documents) || documents.length !== expected.documents) {
        problems.push(`${name}: expected ${expected.documents} documents`);
      } else if (sha256(text) !== expected.sha256) {
        problems.push(`${name}: content does not match its checksum`);
      }
    } catch {
      problems.push(`${name}.json is missing or not valid JSON`);
    }
  }
  return problems;
}

async function writeCollections(folder: string, data: Record<string, unknown[]>, now: Date): Promise<void> {
  await mkdir(folder, { recursive: true });
  const manifest: Manifest = { collections: {}, writtenAt: now.toISOString() };
  for (const [name, documents] of Object.entries(data)) {
    const text = `${JSON.stringify(documents, null, 2)}\n`;
    await writeFile(path.join(folder, `${name}.json`), text);
    manifest.collections[name] = { documents: documents.length, sha256: sha256(text) };
  }
  await writeFile(path.join(folder, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
