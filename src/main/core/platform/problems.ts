/**
 * Problems found in a platform file, each tied to a `file:line:column` a person can jump to.
 */

/** One problem, positioned in the file. */
export interface PlatformProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending field, e.g. `services[2].dependsOn[0]`; empty for the whole file. */
  path: string;
  message: string;
}

/** `file:line:column: message` — the format editors and terminals turn into links. */
export function formatProblem(problem: PlatformProblem): string {
  const where = problem.path ? `${problem.path}: ` : '';
  return `${problem.file}:${problem.line}:${problem.column}: ${where}${problem.message}`;
}

/** The lists whose items are named by their id in a path (`services[db-service]`). */
const namedLists = new Set(['services', 'environments', 'credentials', 'secrets']);
const idPattern = /^[a-z][a-z0-9-]*$/;

/**
 * Renders a path like `services[auth-service].environments.staging.url`: an item of a list of
 * named things is named by its id when `data` (the file's content) gives it one, unique in its list.
 */
export function formatPath(path: readonly PropertyKey[], data?: unknown): string {
  let out = '';
  let current = data;
  let parent: PropertyKey | undefined;
  for (const segment of path) {
    const item = (current as Record<PropertyKey, unknown> | undefined)?.[segment];
    if (typeof segment === 'number') {
      const id = (item as { id?: unknown } | undefined)?.id;
      const siblings = Array.isArray(current) ? (current as { id?: unknown }[]) : [];
      const isNamed =
        typeof parent === 'string' &&
        namedLists.has(parent) &&
        typeof id === 'string' &&
        idPattern.test(id) &&
        siblings.filter((sibling) => sibling?.id === id).length === 1;
      out += isNamed ? `[${id}]` : `[${segment}]`;
    } else out += out === '' ? String(segment) : `.${String(segment)}`;
    parent = segment;
    current = typeof item === 'object' && item !== null ? item : undefined;
  }
  return out;
}
