/**
 * Platforms: opening a platform file (or the demo), the recent ones, importing from Coolify.
 */
import { z } from 'zod';
import type { CommandChannel, EventChannel } from '../channels';
import { noInput, type CommandSpec, type EventSpec } from './common';

export const PlatformSummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** The platform file it was read from. */
  file: z.string(),
  source: z.enum(['file', 'demo']),
  /** The platform's zone (`policy.timeZone`): times are shown in it and in the reader's own. */
  timeZone: z.string(),
  environments: z.array(z.strictObject({ id: z.string(), name: z.string(), isProtected: z.boolean() })),
  services: z.array(z.strictObject({ id: z.string(), name: z.string(), dependsOn: z.array(z.string()) })),
  /** The Slack channels messages can be queued for. */
  slackChannels: z.array(z.strictObject({ id: z.string(), purpose: z.string().optional() })),
});
export type PlatformSummary = z.infer<typeof PlatformSummary>;

/** A problem of a platform file, with the text of the line it points at. */
export const PlatformProblemDetail = z.strictObject({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  path: z.string(),
  message: z.string(),
  lineText: z.string(),
});
export type PlatformProblemDetail = z.infer<typeof PlatformProblemDetail>;

export const PlatformState = z.strictObject({
  /** The platform running; while `problems` name another file (or a broken save), the last good one. */
  platform: PlatformSummary.nullable(),
  /** Why no platform (or not the one asked for) is loaded, as `file:line:column: message` lines. */
  problems: z.array(z.string()),
  problemDetails: z.array(PlatformProblemDetail).optional(),
  /** The file the problems are in. */
  problemsFile: z.string().optional(),
  /** The file changed during a deploy or rollback: it is reloaded when that ends. */
  isReloadPending: z.boolean().optional(),
  /** A platform is on its way (the demo starting). */
  isOpening: z.boolean().optional(),
});
export type PlatformState = z.infer<typeof PlatformState>;

/** The commands of this domain, by channel. */
export const platformCommands = {
  'platform:current': {
    summary: 'The platform the cockpit is working on, or why none could be loaded.',
    input: noInput,
    output: PlatformState,
  },
  'platform:open': {
    summary:
      'Opens a platform file (or the embedded demo) and remembers it; a file with problems leaves the current platform running.',
    input: z.union([
      z.strictObject({ file: z.string().trim().min(1).max(4096) }),
      z.strictObject({ demo: z.literal(true) }),
    ]),
    output: PlatformState,
  },
  'platform:recent': {
    summary: 'The platform files opened before, and what this window can do with files (a dialog, an editor).',
    input: noInput,
    output: z.strictObject({
      recent: z.array(z.strictObject({ file: z.string(), name: z.string(), openedAt: z.string() })),
      canChooseFile: z.boolean(),
      canOpenInEditor: z.boolean(),
    }),
  },
  'platform:choose-file': {
    summary: 'Asks for a platform file with the desktop’s open dialog (the desktop app only).',
    input: noInput,
    output: z.strictObject({ file: z.string().optional() }),
  },
  'platform:reveal': {
    summary: 'Opens the platform file in the editor, or shows it in its folder (the desktop app only).',
    input: z.strictObject({ how: z.enum(['editor', 'folder']) }),
    output: z.strictObject({}),
  },
  'platform:import-coolify': {
    summary:
      'Writes a platform file proposed from a Coolify server, opens it and keeps the token in the keychain; several projects and none chosen is BAD_INPUT listing them.',
    input: z.strictObject({
      apiUrl: z.url({ protocol: /^https?$/ }).max(2048),
      token: z.string().trim().min(1).max(4096),
      project: z.string().trim().min(1).max(200).optional(),
      out: z.string().trim().min(1).max(4096),
    }),
    output: z.strictObject({
      file: z.string(),
      services: z.number().int(),
      environments: z.number().int(),
      state: PlatformState,
    }),
  },
} satisfies Partial<Record<CommandChannel, CommandSpec<z.ZodType, z.ZodType>>>;

/** The events of this domain, by channel. */
export const platformEvents = {
  'platform:changed': {
    summary: 'Sent when the platform is loaded or replaced, or fails to load.',
    payload: PlatformState,
  },
} satisfies Partial<Record<EventChannel, EventSpec<z.ZodType>>>;
