/**
 * The single choke point every command goes through, whatever the transport.
 *
 * It checks the channel, validates the input against the contract, runs the handler and turns any
 * outcome into a `Reply`: a malformed payload gets a typed `BAD_INPUT`, an unexpected exception a
 * redacted `INTERNAL`. Nothing thrown here ever crosses a transport.
 */
import { z } from 'zod';
import { isCommandChannel, type CommandChannel } from '../../shared/channels';
import { commands, type CommandOutput, type ParsedCommandInput } from '../../shared/contract';
import { fail, ok, type Reply } from '../../shared/reply';
import { CockpitError } from './errors';
import { fieldInWords, issueInWords } from './input-problems';

/** The core's implementation of every command. */
export type CommandHandlers = {
  [K in CommandChannel]: (input: ParsedCommandInput<K>) => Promise<CommandOutput<K>> | CommandOutput<K>;
};

/** Where unexpected errors are reported (with context) instead of reaching the caller. */
export type UnexpectedErrorReporter = (channel: string, error: unknown) => void;

const maxIssuesReported = 10;

/** Builds the dispatcher for a set of handlers. */
export function createDispatcher(
  handlers: CommandHandlers,
  reportUnexpected: UnexpectedErrorReporter,
): (channel: unknown, payload: unknown) => Promise<Reply<unknown>> {
  return async function dispatch(channel, payload) {
    if (!isCommandChannel(channel)) {
      return fail('UNKNOWN_CHANNEL', `There is no command named ${describeChannel(channel)}.`);
    }
    const spec = commands[channel];
    const illFormed = illFormedStringPath(payload);
    if (illFormed !== undefined) {
      return fail(
        'BAD_INPUT',
        `Nothing was done: ${fieldInWords(illFormed === '' ? [] : illFormed.split('.'))} holds text that is not well-formed Unicode (a lone surrogate); send it as proper UTF-16.`,
        { channel, field: illFormed },
      );
    }
    const parsed = spec.input.safeParse(payload);
    if (!parsed.success) {
      return fail('BAD_INPUT', `Nothing was done: ${summarize(parsed.error)}`, {
        channel,
        issues: parsed.error.issues.slice(0, maxIssuesReported).map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issueInWords(issue),
        })),
      });
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return ok(spec.output.parse(value));
    } catch (error) {
      if (error instanceof CockpitError) return { ok: false, error: error.toShape() };
      reportUnexpected(channel, error);
      return fail('INTERNAL', `${channel} failed unexpectedly. The error was logged; try again.`);
    }
  };
}

const maxNodesWalked = 100_000;

/**
 * The path of the first string in `payload` (values or keys) that is not well-formed UTF-16, or
 * `undefined`. Such text cannot be stored in the keychain, the ledger or a file as it is.
 */
function illFormedStringPath(payload: unknown): string | undefined {
  const pending: { value: unknown; path: string }[] = [{ value: payload, path: '' }];
  for (let walked = 0; pending.length > 0 && walked < maxNodesWalked; walked++) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return path;
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const itemPath = path === '' ? key : `${path}.${key}`;
        if (!key.isWellFormed()) return itemPath;
        pending.push({ value: item, path: itemPath });
      }
    }
  }
  return undefined;
}

function describeChannel(channel: unknown): string {
  if (typeof channel !== 'string') return `of type ${channel === null ? 'null' : typeof channel}`;
  const shown = channel.length > 60 ? `${channel.slice(0, 60)}…` : channel;
  return JSON.stringify(shown);
}

/** The first problem in words, and how many more there are. */
function summarize(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'what was sent is not valid.';
  const more =
    error.issues.length > 1
      ? ` (${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''} after this one)`
      : '';
  const sentence = issueInWords(first).slice(0, -1);
  return `${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}${more}.`;
}
