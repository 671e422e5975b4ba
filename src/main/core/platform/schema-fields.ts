/**
 * The field types of the platform file: ids, URLs, branch names, repository paths, display
 * text, times and dates, time zones, argument arrays — each with the message that says what is
 * expected.
 */
import { z } from 'zod';

export const idPattern = /^[a-z][a-z0-9-]{0,62}$/;

/** A lowercase identifier used to refer to things across the file. */
export const Identifier = z
  .string()
  .regex(
    idPattern,
    'expected a lowercase id (letters, digits and dashes, starting with a letter), e.g. "auth-service"',
  );

export const HttpUrl = z.url({
  protocol: /^https?$/,
  error: 'expected an http(s) URL, e.g. "https://staging.example.com"',
});

/** A branch name that can never be taken for a git option, and that git accepts (`check-ref-format`). */
export const BranchName = z
  .string()
  .regex(
    /^(?!-)[A-Za-z0-9._/-]+$/,
    'expected a branch name (letters, digits, ".", "_", "/", "-"), not starting with "-"',
  )
  .refine(
    (name) =>
      !name.includes('..') &&
      !name.endsWith('.lock') &&
      name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.')),
    'expected a branch name git accepts: no "..", no empty part or part starting or ending with ".", not ending in ".lock"',
  );

/** A path inside a repository: relative, every part a plain name (never "..", never absolute). */
export const RepositoryPath = z
  .string()
  .regex(/^[A-Za-z0-9._/-]+$/, 'expected a relative path of letters, digits, ".", "_", "/" and "-"')
  .refine(
    (file) => file.split('/').every((part) => part.length > 0 && part !== '.' && part !== '..'),
    'expected a path inside the repository: no "..", ".", empty part or leading "/"',
  );

/** Text shown to people (names, reasons): one line, no control or invisible formatting characters. */
export const DisplayText = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]+$/u, 'expected text on one line, without control or invisible characters');

export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM, e.g. "14:00"');
export const CalendarDate = z.iso.date({ error: 'expected a date as YYYY-MM-DD, e.g. "2025-12-25"' });
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export const UrlPath = z.string().regex(/^\/[^\s]*$/, 'expected a path starting with "/", e.g. "/api/v1/health"');

/**
 * A record looked up by ids that come from input: built without a prototype, so an id such as
 * `constructor` or `__proto__` finds nothing instead of an inherited property.
 */
export function lookup<T extends z.ZodType<Record<string, unknown>>>(schema: T) {
  return schema.transform((record) => Object.assign(Object.create(null) as z.output<T>, record));
}

/** Words an environment id may not be: they name `cockpit deploy` subcommands. */
export const reservedEnvironmentIds = ['history', 'log'];

/** A command as an argument array: never a shell string. */
export const ArgumentArray = z
  .array(z.string().min(1, 'expected a non-empty argument'))
  .min(1, 'expected a command as an argument array, e.g. ["mongorestore", "--drop"]');

export const TimeZone = z.string().refine(isTimeZone, 'expected an IANA time zone, e.g. "Europe/Paris"');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
