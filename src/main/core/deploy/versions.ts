/**
 * The one check every version goes through before it becomes a deploy target, reaches a provider
 * (a command's argument, Coolify's pin, a webhook's body) or the ledger: a SemVer version
 * (`1.2.3`, an optional `v`, an optional pre-release and build), nothing else — a health endpoint
 * reporting `1.0.0; touch /tmp/x` or `--upload-pack=x` is refused, never passed on.
 */
import { CockpitError } from '../errors';

/** semver.org's own pattern, with an optional `v`; nothing before or after it (not even a space). */
const semverPattern =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Whether `value` is a SemVer version, `v` allowed. */
export function isReleaseVersion(value: string): boolean {
  return value.length <= 100 && semverPattern.test(value);
}

/** `value` without its `v`, or BAD_INPUT naming where it came from and the value, shown safely. */
export function requireVersion(value: string, where: string): string {
  if (isReleaseVersion(value)) return value.replace(/^v/, '');
  throw new CockpitError(
    'BAD_INPUT',
    `${where} is ${JSON.stringify(value.slice(0, 80))}, which is not a version (expected SemVer such as 1.2.3): nothing was deployed.`,
    { value: value.slice(0, 200) },
  );
}
