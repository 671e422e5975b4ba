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

/** Renders a path like `services[2].environments.staging.url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
