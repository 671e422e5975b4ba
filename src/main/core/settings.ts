/**
 * The cockpit's own settings, kept in the data folder (`settings.json`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';

export const Settings = z.object({
  /** The platform file last opened; none means the embedded demo platform. */
  platformFile: z.string().min(1).optional(),
  /**
   * The SSH key approvals and sign-offs are signed with: a key file, or a public key an agent
   * holds; none means git's `user.signingkey` (with `gpg.format=ssh`).
   */
  signingKey: z.string().min(1).optional(),
  /** The platform files opened before, newest first. */
  recentPlatforms: z
    .array(z.object({ file: z.string().min(1), name: z.string(), openedAt: z.string() }))
    .max(20)
    .optional(),
});
export type Settings = z.infer<typeof Settings>;

const fileName = 'settings.json';

/** Reads the settings; a missing or damaged file gives empty settings. */
export async function readSettings(dataDir: string): Promise<Settings> {
  try {
    const parsed = Settings.safeParse(JSON.parse(await readFile(path.join(dataDir, fileName), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Saves the settings atomically. */
export async function writeSettings(dataDir: string, settings: Settings): Promise<void> {
  await writeFileAtomic(path.join(dataDir, fileName), `${JSON.stringify(settings, null, 2)}\n`);
}
