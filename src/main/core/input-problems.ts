/**
 * A command's refused input in words a person can act on: which field, what is wrong with it, and
 * what it should be — not a channel name or a schema library's wording. The value itself is never
 * repeated (it may be a secret).
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** "the reason", "the services (item 2)", "the gate ids (item 1)", or "what was sent" for the whole input. */
export function fieldInWords(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'what was sent';
  const words = path.map((part) =>
    typeof part === 'number'
      ? `(item ${part + 1})`
      : String(part)
          .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
          .toLowerCase(),
  );
  return `the ${words.join(' ')}`;
}

/** One issue as a sentence: "The reason is empty.", "The environment must be one of staging, production." */
export function issueInWords(issue: Issue): string {
  const field = fieldInWords(issue.path);
  return `${field.charAt(0).toUpperCase()}${field.slice(1)} ${problemInWords(issue)}.`;
}

function problemInWords(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return 'is missing';
      return `should be ${article(kindInWords(issue.expected))}`;
    case 'too_small':
      if (unitOf(issue.origin) === '') return `must be at least ${String(issue.minimum)}`;
      return Number(issue.minimum) === 1
        ? 'is empty'
        : `is too short: at least ${String(issue.minimum)} ${unitOf(issue.origin)}`;
    case 'too_big':
      if (unitOf(issue.origin) === '') return `must be at most ${String(issue.maximum)}`;
      return `is too long: at most ${String(issue.maximum)} ${unitOf(issue.origin)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${String(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      // A message of the contract's own ("expected a version such as 1.2.3") says more than the pattern.
      return /^Invalid/.test(issue.message)
        ? `is not in the expected form (${issue.format})`
        : `is not valid: ${issue.message}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not take: ${issue.keys.join(', ')} (remove ${issue.keys.length === 1 ? 'it' : 'them'})`;
    case 'invalid_union':
      return 'is none of the forms it can take';
    default:
      return `is not valid: ${issue.message}`;
  }
}

function kindInWords(expected: string): string {
  return expected === 'int' ? 'whole number' : expected;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function unitOf(origin: string): string {
  if (origin === 'string') return 'characters';
  if (origin === 'array' || origin === 'set') return 'items';
  return '';
}
