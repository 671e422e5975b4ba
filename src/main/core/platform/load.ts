/**
 * Platform file → validated model, or every problem with its `file:line:column`.
 *
 * YAML syntax first (nothing else can be read without it), then the schema and the
 * cross-references (ids, dependencies, cycles, isolation) together, so a file with several kinds
 * of problems is reported in one pass; items are named by their id (`services[db-service]`).
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatPath, type PlatformProblem } from './problems';
import { checkReferences } from './references';
import { Platform } from './schema';
import { expectedKeysAt } from './schema-walk';
import { YamlSourceMap } from './source-map';

export type PlatformLoadResult = { ok: true; platform: Platform } | { ok: false; problems: PlatformProblem[] };

/** Largest platform file accepted; a real one is a few kilobytes. */
const maxFileBytes = 2 * 1024 * 1024;

/** Reads and validates a platform file. */
export async function loadPlatformFile(filePath: string): Promise<PlatformLoadResult> {
  let text: string;
  try {
    const buffer = await readFile(filePath);
    if (buffer.length > maxFileBytes) {
      return fileProblem(filePath, `the file is ${buffer.length} bytes; a platform file is expected under 2 MiB`);
    }
    text = buffer.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'file not found: check the path'
        : code === 'EISDIR'
          ? 'this is a folder; expected a YAML platform file'
          : `cannot read the file (${code ?? 'unknown error'})`;
    return fileProblem(filePath, reason);
  }
  return parsePlatform(text, filePath);
}

/** Validates platform YAML text; `file` is the name used in problems. */
export function parsePlatform(text: string, file: string): PlatformLoadResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const sourceMap = new YamlSourceMap(document, lineCounter);

  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        file,
        ...sourceMap.positionOfOffset(error.pos[0]),
        path: '',
        message: yamlMessage(error.code, error.message),
      })),
    };
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 50 });
  } catch (error) {
    return fileProblem(file, `the YAML cannot be read: ${(error as Error).message}`);
  }
  if (data === null || data === undefined)
    return fileProblem(file, 'the file is empty; expected a platform description');

  const parsed = Platform.safeParse(data);
  const schemaProblems = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) => describeIssue(issue, data, file, sourceMap));
  // Every kind of problem in one pass: the cross-references are checked on what the schema accepted.
  const checked = parsed.success ? parsed.data : salvage(data);
  const referenceProblems = checked ? safely(() => checkReferences(checked)) : [];
  const problems = [
    ...schemaProblems,
    ...referenceProblems.map((problem) => ({
      file,
      ...sourceMap.positionOf(problem.path, { atKey: problem.atKey }),
      path: formatPath(problem.path, data),
      message: problem.message,
    })),
  ];
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: sortProblems(unique(problems)) };
  return { ok: true, platform: parsed.data };
}

/**
 * The file's content as far as the schema accepts it, for the cross-reference checks: each invalid
 * item of a list becomes a stub keeping its id (so indexes and references still line up), each
 * invalid field its default. Undefined when too little is left to check.
 */
function salvage(data: unknown): Platform | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const raw = data as Record<string, unknown>;
  const shape = Platform.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const value = raw[key];
    const whole = schema.safeParse(value);
    if (whole.success) {
      out[key] = whole.data;
      continue;
    }
    const fallback = schema.safeParse(undefined);
    out[key] = fallback.success ? fallback.data : placeholderOf(key);
  }
  const fixedLists = Object.fromEntries(
    [...listKeys].map((key) => {
      const value = raw[key];
      const item = (shape[key] as unknown as { element?: z.ZodType }).element;
      if (!Array.isArray(value) || !item) return [key, out[key]];
      return [
        key,
        value.map((entry) => {
          const parsed = item.safeParse(entry);
          return parsed.success ? parsed.data : stubOf(entry);
        }),
      ];
    }),
  );
  return { ...out, ...fixedLists } as Platform;
}

const listKeys = new Set(['environments', 'services', 'credentials', 'secrets']);

function stubOf(item: unknown): Record<string, unknown> {
  const id = (item as { id?: unknown } | undefined)?.id;
  const dependsOn = (item as { dependsOn?: unknown } | undefined)?.dependsOn;
  return {
    id: typeof id === 'string' ? id : '',
    name: typeof id === 'string' ? id : '',
    dependsOn: Array.isArray(dependsOn) && dependsOn.every((entry) => typeof entry === 'string') ? dependsOn : [],
    environments: {},
    repo: {},
  };
}

function placeholderOf(key: string): unknown {
  return key === 'id' || key === 'name' ? '' : undefined;
}

/** A check that cannot run on what was salvaged reports nothing rather than failing the load. */
function safely<T>(check: () => T[]): T[] {
  try {
    return check();
  } catch {
    return [];
  }
}

function unique(problems: PlatformProblem[]): PlatformProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fileProblem(file: string, message: string): PlatformLoadResult {
  return { ok: false, problems: [{ file, line: 1, column: 1, path: '', message }] };
}

function yamlMessage(code: string, message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  if (code === 'DUPLICATE_KEY')
    return `duplicate key: ${firstLine.replace(/^Map keys must be unique.*$/, 'each key may appear once in a mapping')}`;
  return `invalid YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`;
}

function sortProblems(problems: PlatformProblem[]): PlatformProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
  file: string,
  sourceMap: YamlSourceMap,
): PlatformProblem[] {
  const path = issue.path as PropertyKey[];
  const problem = (message: string, at: PropertyKey[] = path, atKey = false): PlatformProblem => ({
    file,
    ...sourceMap.positionOf(at, { atKey }),
    path: formatPath(at, data),
    message,
  });

  if (issue.code === 'unrecognized_keys') {
    const expected = expectedKeysAt(Platform, path, data)?.filter((key) => key !== '$schema');
    const hint = expected ? `; expected one of: ${expected.join(', ')}` : '';
    return issue.keys.map((key) => problem(`unknown field "${key}"${hint}`, [...path, key], true));
  }

  const present = hasPath(data, path);
  const value = valueAt(data, path);
  const field = String(path[path.length - 1] ?? 'value');

  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const options = ((issue as { options?: unknown[] }).options ?? []).map((option) => JSON.stringify(option));
    return [
      present
        ? problem(`expected ${field} to be one of ${options.join(', ')}; got ${describe(value)}`)
        : problem(`missing required field "${field}" (one of ${options.join(', ')})`),
    ];
  }
  if (!present) return [problem(`missing required field "${field}"`)];
  if (issue.code === 'invalid_type') return [problem(`expected ${article(issue.expected)}, got ${describe(value)}`)];
  if (issue.code === 'invalid_value') {
    const options = issue.values.map((option) => JSON.stringify(option));
    return [
      problem(
        options.length === 1
          ? `expected ${options[0]}, got ${describe(value)}`
          : `expected one of ${options.join(', ')}; got ${describe(value)}`,
      ),
    ];
  }
  return [problem(issue.message)];
}

function hasPath(data: unknown, path: readonly PropertyKey[]): boolean {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return true;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) current = (current as Record<PropertyKey, unknown> | undefined)?.[segment];
  return current;
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    int: 'a whole number',
  };
  return names[type] ?? type;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}
