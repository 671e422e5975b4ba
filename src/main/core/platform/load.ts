/**
 * Platform file → validated model, or every problem with its `file:line:column`.
 *
 * Three passes, each only if the previous one succeeded: YAML syntax, the schema, then the
 * cross-references (ids, dependencies, cycles, isolation).
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
  if (!parsed.success) {
    return {
      ok: false,
      problems: sortProblems(parsed.error.issues.flatMap((issue) => describeIssue(issue, data, file, sourceMap))),
    };
  }

  const referenceProblems = checkReferences(parsed.data);
  if (referenceProblems.length > 0) {
    return {
      ok: false,
      problems: sortProblems(
        referenceProblems.map((problem) => ({
          file,
          ...sourceMap.positionOf(problem.path, { atKey: problem.atKey }),
          path: formatPath(problem.path),
          message: problem.message,
        })),
      ),
    };
  }
  return { ok: true, platform: parsed.data };
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
    path: formatPath(at),
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
