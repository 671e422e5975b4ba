/**
 * The version files a cut writes: package.json and its lockfile with only their own version
 * changed, their formatting kept (or cleanly re-serialized when an in-place edit would not give
 * exactly the intended JSON).
 */
import { CockpitError } from '../errors';

/** package.json with only its top-level version changed, formatting kept. */
export function bumpPackageJson(text: string, from: string, to: string): string {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (parsed.version !== from)
    throw new CockpitError('RELEASE_REFUSED', `package.json says version ${String(parsed.version)}, not ${from}.`);
  const replaced = text.replace(new RegExp(`("version"\\s*:\\s*")${escape(from)}(")`), `$1${to}$2`);
  return verifiedOrRewritten(text, replaced, { ...parsed, version: to });
}

/** package-lock.json with its own version (top level and `packages[""]`) changed, formatting kept. */
export function bumpLockfile(text: string, from: string, to: string): string {
  const parsed = JSON.parse(text) as { version?: string; packages?: Record<string, { version?: string }> };
  const expected = structuredClone(parsed);
  if (expected.version === from) expected.version = to;
  if (expected.packages?.['']?.version === from) expected.packages[''].version = to;
  let replacements = 0;
  const maxReplacements = (parsed.version === from ? 1 : 0) + (parsed.packages?.['']?.version === from ? 1 : 0);
  const replaced = text.replace(
    new RegExp(`("version"\\s*:\\s*")${escape(from)}(")`, 'g'),
    (match, open: string, close: string) => (replacements++ < maxReplacements ? `${open}${to}${close}` : match),
  );
  return verifiedOrRewritten(text, replaced, expected);
}

/** Keeps the in-place edit if it produced exactly the intended JSON; otherwise re-serializes. */
function verifiedOrRewritten(original: string, edited: string, intended: unknown): string {
  try {
    if (JSON.stringify(JSON.parse(edited)) === JSON.stringify(intended)) return edited;
  } catch {
    // Fall through to a clean rewrite.
  }
  const indent = /^[ \t]+/m.exec(original)?.[0] ?? '  ';
  return `${JSON.stringify(intended, null, indent)}${original.endsWith('\n') ? '\n' : ''}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
