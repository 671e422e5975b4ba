/**
 * Durable file writes. Replacing a file so that a crash leaves either the old or the new content,
 * never a mix: write a temporary file beside it, fsync, rename over the target, fsync the folder.
 * Appending a line: one `write()` and an fsync, so a crash can tear at most that last line.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Writes `content` to `filePath` atomically, creating the folder if needed. */
export async function writeFileAtomic(filePath: string, content: string | Uint8Array): Promise<void> {
  const folder = path.dirname(filePath);
  await mkdir(folder, { recursive: true });
  const temporary = path.join(folder, `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/**
 * Reserves a new file `<stem>.<extension>` in `folder` — or `<stem>-2.<extension>`, `-3`… when the
 * name is taken — by creating it exclusively, so two writers never pick the same name.
 */
export async function reserveUniqueFile(folder: string, stem: string, extension: string): Promise<string> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  for (let attempt = 1; ; attempt++) {
    const candidate = path.join(folder, `${stem}${attempt === 1 ? '' : `-${attempt}`}.${extension}`);
    try {
      await (await open(candidate, 'wx', 0o600)).close();
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 10_000) throw error;
    }
  }
}

/** Appends `line` (with its newline) in one write and fsyncs it, creating the folder if needed. */
export async function appendLineDurably(filePath: string, line: string): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const handle = await open(filePath, 'a', 0o600);
  try {
    await handle.write(`${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Folders cannot be opened for fsync on Windows; the rename is as durable as it gets there.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
