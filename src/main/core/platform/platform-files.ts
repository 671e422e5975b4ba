/**
 * The platform files a person works with: the recent ones (kept in the settings), the problems of
 * a file with the text of each line they point at, and a watch that reloads the platform when its
 * file is saved (an editor's save-by-rename included).
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlatformProblem } from './problems';
import { readSettings, writeSettings, type Settings } from '../settings';

export interface RecentPlatform {
  file: string;
  name: string;
  openedAt: string;
}

const maxRecent = 8;

/** The recent platforms, newest first. */
export async function recentPlatforms(dataDir: string): Promise<RecentPlatform[]> {
  return (await readSettings(dataDir)).recentPlatforms ?? [];
}

/**
 * Remembers the platform now open: a file becomes the one the next start opens and goes first
 * in the recent list; the demo (no file) clears the choice.
 */
export async function rememberPlatform(
  dataDir: string,
  opened: { file: string; name: string; isDemo: boolean },
  now: Date,
): Promise<void> {
  const settings = await readSettings(dataDir);
  const { platformFile: _previous, ...rest } = settings;
  const recent = opened.isDemo
    ? (settings.recentPlatforms ?? [])
    : [
        { file: opened.file, name: opened.name, openedAt: now.toISOString() },
        ...(settings.recentPlatforms ?? []).filter((entry) => entry.file !== opened.file),
      ].slice(0, maxRecent);
  const next: Settings = { ...rest, ...(opened.isDemo ? {} : { platformFile: opened.file }), recentPlatforms: recent };
  await writeSettings(dataDir, next);
}

export interface ProblemDetail extends PlatformProblem {
  /** The text of the line the problem points at (empty when the file could not be read). */
  lineText: string;
}

/** Each problem with the text of its line, read from the file as it is now. */
export async function withLineText(problems: PlatformProblem[]): Promise<ProblemDetail[]> {
  const texts = new Map<string, string[]>();
  for (const file of new Set(problems.map((problem) => problem.file))) {
    texts.set(
      file,
      await readFile(file, 'utf8').then(
        (text) => text.split(/\r?\n/),
        () => [],
      ),
    );
  }
  return problems.map((problem) => ({
    ...problem,
    lineText: (texts.get(problem.file)?.[problem.line - 1] ?? '').slice(0, 300),
  }));
}

/**
 * Calls `onChange` once a platform file's content changed (debounced: an editor writes in
 * several steps). Watches the folder, so a save that replaces the file by a rename is seen too.
 */
export class PlatformFileWatcher {
  private watcher?: FSWatcher;
  private timer?: ReturnType<typeof setTimeout>;
  private digest?: string;

  constructor(
    private readonly onChange: (file: string) => void,
    private readonly debounceMs = 250,
  ) {}

  async watch(file: string): Promise<void> {
    this.stop();
    this.digest = await digestOf(file);
    const name = path.basename(file);
    try {
      this.watcher = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed !== name) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.check(file), this.debounceMs);
        this.timer.unref?.();
      });
      this.watcher.on('error', () => this.stop());
    } catch {
      this.watcher = undefined; // A folder that cannot be watched: changes are seen on the next open.
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private async check(file: string): Promise<void> {
    const digest = await digestOf(file);
    if (digest === undefined || digest === this.digest) return;
    this.digest = digest;
    this.onChange(file);
  }
}

async function digestOf(file: string): Promise<string | undefined> {
  return readFile(file).then(
    (bytes) => createHash('sha256').update(bytes).digest('hex'),
    () => undefined,
  );
}
