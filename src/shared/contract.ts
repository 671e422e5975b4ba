/**
 * The contract between the renderer and the core: every command and event, declared once.
 *
 * Main validates every input against these schemas before a handler runs, the preload exposes
 * exactly these channels, and the renderer client is typed from them. Adding a capability means
 * adding an entry here, a core handler, a store and a view.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from './channels';

/** A command: what it accepts and what it answers. */
export interface CommandSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  input: I;
  output: O;
}

/** An event: what it carries. */
export interface EventSpec<P extends z.ZodType> {
  summary: string;
  payload: P;
}

const noInput = z.strictObject({});

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

/** Every command, by channel. */
export const commands = {
  'app:info': {
    summary: 'Name, version and host of the running cockpit, for the status bar and bug reports.',
    input: noInput,
    output: AppInfo,
  },
} satisfies { [K in CommandChannel]: CommandSpec<z.ZodType, z.ZodType> };

/** Every event, by channel. */
export const events = {
  'app:heartbeat': {
    summary: 'Sent at a steady interval so the renderer can show that main is alive.',
    payload: Heartbeat,
  },
} satisfies { [K in EventChannel]: EventSpec<z.ZodType> };

type Commands = typeof commands;
type Events = typeof events;

/** What a command accepts (before validation, as the caller writes it). */
export type CommandInput<K extends CommandChannel> = z.input<Commands[K]['input']>;
/** What a command accepts once validated. */
export type ParsedCommandInput<K extends CommandChannel> = z.output<Commands[K]['input']>;
/** What a command answers. */
export type CommandOutput<K extends CommandChannel> = z.output<Commands[K]['output']>;
/** What an event carries. */
export type EventPayload<K extends EventChannel> = z.output<Events[K]['payload']>;

// Compile-time check that channels.ts and this file list the same names.
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : never;
const commandListsAgree: SameKeys<Commands, CommandChannel> = true;
const eventListsAgree: SameKeys<Events, EventChannel> = true;
void commandListsAgree;
void eventListsAgree;
