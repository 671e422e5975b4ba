/**
 * Roles (R12): who the current user is in the platform's roster — matched by git e-mail, then git
 * name, then OS user — and whether their roles allow an action; a refusal names the roles needed.
 */
import os from 'node:os';
import { CockpitError } from '../errors';
import type { Permission, Platform } from '../platform/schema';

export interface Identity {
  name: string;
  email?: string;
  osUser?: string;
}

export interface RosterMatch {
  person?: Platform['roster']['people'][number];
  roles: string[];
  permissions: Set<Permission>;
}

export function rosterMatch(platform: Platform, identity: Identity): RosterMatch {
  const { people, roles } = platform.roster;
  const lower = (text: string | undefined) => text?.trim().toLowerCase();
  const person =
    (identity.email && people.find((candidate) => lower(candidate.email) === lower(identity.email))) ||
    people.find((candidate) => lower(candidate.name) === lower(identity.name)) ||
    (identity.osUser ? people.find((candidate) => candidate.osUser === identity.osUser) : undefined);
  const personRoles = person?.roles ?? [];
  return {
    person,
    roles: personRoles,
    permissions: new Set(personRoles.flatMap((role) => roles[role] ?? [])),
  };
}

/** The roles that carry a permission, for messages ("a release-manager or tech-lead"). */
export function rolesWith(platform: Platform, permission: Permission): string[] {
  return Object.entries(platform.roster.roles)
    .filter(([, granted]) => granted.includes(permission))
    .map(([role]) => role);
}

/** Throws FORBIDDEN, naming the roles that may, unless the identity's roles allow `permission`. */
export function requirePermission(
  platform: Platform,
  identity: Identity,
  permission: Permission,
  action: string,
): RosterMatch {
  const match = rosterMatch(platform, identity);
  if (match.permissions.has(permission)) return match;
  const needed = rolesWith(platform, permission);
  const who = match.person
    ? `${match.person.name} is ${match.roles.join(', ')}`
    : `${identity.name}${identity.osUser ? ` (OS user ${identity.osUser})` : ''} is not in the platform's roster`;
  throw new CockpitError(
    'FORBIDDEN',
    `${action} needs the role ${needed.join(' or ') || '(none grants it)'}; ${who}. Ask someone with that role, or add the role under "roster" in the platform file.`,
    { permission, roles: needed },
  );
}

/** The OS account running the cockpit, when the system can say. */
export function currentOsUser(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}
