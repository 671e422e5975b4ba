/**
 * The contract between the renderer and the core: every command and event, declared once.
 *
 * Each domain declares its schemas, commands and events in its own file here, named like its
 * folder in `src/main/core`; this file composes them. Main validates every input against these
 * schemas before a handler runs (the one choke point: `core/dispatcher.ts`), the preload exposes
 * exactly these channels, and the renderer client is typed from them. Adding a capability means
 * adding an entry to its domain's file, a core handler, a store and a view.
 */
import type { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { appCommands, appEvents } from './app';
import type { CommandSpec, EventSpec } from './common';
import { commsCommands, commsEvents } from './comms';
import { credentialsCommands, credentialsEvents } from './credentials';
import { deployCommands, deployEvents } from './deploy';
import { identityCommands } from './identity';
import { ledgerCommands, ledgerEvents } from './ledger';
import { matrixCommands, matrixEvents } from './matrix';
import { platformCommands, platformEvents } from './platform';
import { policyCommands, policyEvents } from './policy';
import { releaseCommands } from './release';
import { rollbackCommands, rollbackEvents } from './rollback';
import { teamCommands, teamEvents } from './team';

export type { CommandSpec, EventSpec } from './common';
export * from './app';
export * from './comms';
export * from './credentials';
export * from './deploy';
export * from './identity';
export * from './ledger';
export * from './matrix';
export * from './platform';
export * from './policy';
export * from './release';
export * from './rollback';
export * from './team';

/** Every command, by channel. */
export const commands = {
  ...appCommands,
  ...platformCommands,
  ...credentialsCommands,
  ...ledgerCommands,
  ...matrixCommands,
  ...deployCommands,
  ...policyCommands,
  ...rollbackCommands,
  ...commsCommands,
  ...teamCommands,
  ...identityCommands,
  ...releaseCommands,
} satisfies { [K in CommandChannel]: CommandSpec<z.ZodType, z.ZodType> };

/** Every event, by channel. */
export const events = {
  ...appEvents,
  ...platformEvents,
  ...credentialsEvents,
  ...teamEvents,
  ...ledgerEvents,
  ...deployEvents,
  ...rollbackEvents,
  ...commsEvents,
  ...policyEvents,
  ...matrixEvents,
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

// Compile-time check that channels.ts and these files list the same names.
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : never;
const commandListsAgree: SameKeys<Commands, CommandChannel> = true;
const eventListsAgree: SameKeys<Events, EventChannel> = true;
void commandListsAgree;
void eventListsAgree;
