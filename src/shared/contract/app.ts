/**
 * The running cockpit itself: its identity, its heartbeat and the desktop menu.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { noInput, type CommandSpec, type EventSpec } from './common';

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  runtime: z.enum(['electron', 'web', 'cli', 'test']),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Heartbeat = z.strictObject({
  sequence: z.number().int().nonnegative(),
  sentAt: z.iso.datetime(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** The commands of this domain, by channel. */
export const appCommands = {
  'app:info': {
    summary: 'Name, version and host of the running cockpit, for the status bar and bug reports.',
    input: noInput,
    output: AppInfo,
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const appEvents = {
  'app:menu': {
    summary: 'The desktop app’s menu asks the window to open the platform chooser or a view.',
    payload: z.strictObject({ action: z.enum(['open-platform', 'view']), view: z.string().optional() }),
  },
  'app:heartbeat': {
    summary: 'Sent at a steady interval so the renderer can show that main is alive.',
    payload: Heartbeat,
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
