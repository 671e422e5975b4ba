/**
 * Four eyes (R12): a hotfix exception or a gate override on a protected environment is a request
 * one person records and a different person with the permission approves; the approval names
 * the request's content hash, so it cannot be moved to another request. Pure: the ledger's
 * records (with their authority checked) and the moment in, the state of every request out.
 *
 * Direct approvals (one person, one record: what the cockpit wrote before four eyes, and still
 * writes where four eyes does not apply) count too, shown as not independent.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { contentHash, personNamed, type ApprovalKind, type AuthorityFinding } from '../identity/authority';
import { CockpitError } from '../errors';
import type { Permission, Platform } from '../platform/schema';
import { rolesWith } from './roles';

/** How long a gate override stays in force. */
export const overrideHours = 1;

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface Approval {
  id: string;
  kind: ApprovalKind;
  environment: string;
  /** The services an exception opens the window for (empty: every service). */
  services: string[];
  versions: Record<string, string>;
  gates: string[];
  category?: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  expiresAt: string;
  /** Both the request and its decision verify for the people they name. */
  verified: boolean;
  /** Decided by someone other than the requester. */
  isIndependent: boolean;
  /** The request's content hash, which its approval must name. */
  requestHash: string;
}

/** Whether a second person must approve exceptions and overrides on this environment. */
export function fourEyesApplies(platform: Platform, environment: string): boolean {
  const isProtected = platform.environments.some((candidate) => candidate.id === environment && candidate.protected);
  return isProtected && (platform.policy.fourEyes ?? platform.ledger.mirror !== undefined);
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const stringMap = (value: unknown): Record<string, string> =>
  value !== null && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      )
    : {};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const samePerson = (platform: Platform, a: LedgerRecord['actor'], b: LedgerRecord['actor']): boolean => {
  const first = personNamed(platform, a);
  const second = personNamed(platform, b);
  return first !== undefined ? first === second : a.name.toLowerCase() === b.name.toLowerCase();
};

/** Every request and direct approval, newest first, with its state at `now`. */
export function approvalsOf(
  records: readonly LedgerRecord[],
  findings: readonly AuthorityFinding[],
  platform: Platform,
  now: Date,
): Approval[] {
  const trust = new Map(findings.map((finding) => [finding.id, finding.isTrusted]));
  const isTrusted = (record: LedgerRecord) => trust.get(record.id) ?? false;
  const requests = new Map<string, Approval & { record: LedgerRecord }>();
  const direct: Approval[] = [];
  for (const record of records) {
    const details = record.details ?? {};
    if (record.action === 'approval.requested') {
      const kind = details.kind === 'gate-override' ? 'gate-override' : 'hotfix-exception';
      requests.set(record.id, {
        id: record.id,
        kind,
        environment: record.environment ?? '',
        services: record.services ?? [],
        versions: stringMap(details.versions),
        gates: strings(details.gates),
        ...(typeof details.category === 'string' ? { category: details.category } : {}),
        reason: text(details.reason),
        requestedBy: record.actor.name,
        requestedAt: record.time,
        status: 'pending',
        expiresAt: text(details.expiresAt) || record.time,
        verified: isTrusted(record),
        isIndependent: false,
        requestHash: contentHash(record),
        record,
      });
      continue;
    }
    if (record.action === 'approval' && typeof details.requestId === 'string') {
      const request = requests.get(details.requestId);
      if (!request || request.status !== 'pending' || !request.verified || !isTrusted(record)) continue;
      if (details.requestHash !== request.requestHash) continue;
      const isIndependent = !samePerson(platform, request.record.actor, record.actor);
      if (!isIndependent && fourEyesApplies(platform, request.environment)) continue;
      const isApproved = details.decision === 'approved';
      Object.assign(request, {
        status: isApproved ? 'approved' : 'rejected',
        decidedBy: record.actor.name,
        decidedAt: record.time,
        decisionReason: text(details.reason),
        isIndependent,
        ...(isApproved && typeof details.expiresAt === 'string' ? { expiresAt: details.expiresAt } : {}),
      });
      continue;
    }
    const directKind =
      record.action === 'approval' && details.kind === 'hotfix-exception'
        ? 'hotfix-exception'
        : record.action === 'override' && details.kind === undefined
          ? 'gate-override'
          : undefined;
    if (!directKind || typeof details.expiresAt !== 'string' || !isTrusted(record)) continue;
    direct.push({
      id: record.id,
      kind: directKind,
      environment: record.environment ?? '',
      services: [],
      versions: {},
      gates: strings(details.gates),
      ...(typeof details.category === 'string' ? { category: details.category } : {}),
      reason: text(details.reason),
      requestedBy: record.actor.name,
      requestedAt: record.time,
      status: 'approved',
      decidedBy: record.actor.name,
      decidedAt: record.time,
      expiresAt: details.expiresAt,
      verified: true,
      isIndependent: false,
      requestHash: contentHash(record),
    });
  }
  const all: Approval[] = [
    ...[...requests.values()].map(({ record: _record, ...approval }) => approval),
    ...direct.filter((approval) => !fourEyesApplies(platform, approval.environment)),
  ];
  return all
    .map((approval) =>
      (approval.status === 'pending' || approval.status === 'approved') && new Date(approval.expiresAt) <= now
        ? { ...approval, status: 'expired' as const }
        : approval,
    )
    .filter((approval) => new Date(approval.requestedAt) <= now)
    .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : 0));
}

/** The approvals of a kind in force for an environment at `now`. */
export function approvalsInForce(approvals: readonly Approval[], kind: ApprovalKind, environment: string): Approval[] {
  return approvals.filter(
    (approval) => approval.kind === kind && approval.environment === environment && approval.status === 'approved',
  );
}

/** Whether an exception lets a deploy of `versions` through: its services (and versions) only. */
export function exceptionCovers(
  approval: Pick<Approval, 'services' | 'versions'>,
  versions: Record<string, string>,
): boolean {
  if (approval.services.length === 0) return true;
  const services = Object.keys(versions);
  return (
    services.length > 0 &&
    services.every(
      (service) =>
        approval.services.includes(service) &&
        (approval.versions[service] === undefined ||
          approval.versions[service]!.replace(/^v/, '') === versions[service]!.replace(/^v/, '')),
    )
  );
}

/** The services and hours of a hotfix exception request, or what to fix in it. */
export function checkExceptionRequest(
  platform: Platform,
  request: { services: string[]; versions?: Record<string, string>; hours?: number },
): { services: string[]; hours: number } {
  const services = [...new Set(request.services)];
  for (const service of [...services, ...Object.keys(request.versions ?? {})])
    if (!platform.services.some((candidate) => candidate.id === service))
      throw new CockpitError('NOT_FOUND', `${platform.name} has no service "${service}".`);
  for (const service of Object.keys(request.versions ?? {}))
    if (!services.includes(service))
      throw new CockpitError(
        'BAD_INPUT',
        `A version is given for ${service}, which is not one of the services (--services).`,
      );
  if (services.length === 0)
    throw new CockpitError('BAD_INPUT', 'Name the services the exception is for (--services a,b).');
  const maxHours = platform.policy.releaseCalendar.hotfixMaxHours;
  const hours = request.hours ?? maxHours;
  if (!(hours > 0 && hours <= maxHours))
    throw new CockpitError(
      'BAD_INPUT',
      `A hotfix exception lasts at most ${maxHours} h (policy.releaseCalendar.hotfixMaxHours); --hours ${hours} is out of range.`,
    );
  return { services, hours };
}

type Person = Platform['roster']['people'][number];

/** Where four eyes applies, the person who asked cannot approve: says who else can. */
export function refuseOwnRequest(
  platform: Platform,
  requester: Person | undefined,
  approver: Person | undefined,
  permission: Permission,
  what: string,
  environment: string,
): void {
  if (requester && approver === requester && fourEyesApplies(platform, environment))
    throw new CockpitError(
      'FORBIDDEN',
      `You asked for this ${what}: four eyes needs another ${rolesWith(platform, permission).join(' or ')} to approve it (${
        platform.roster.people
          .filter(
            (person) =>
              person !== requester && person.roles.some((role) => platform.roster.roles[role]?.includes(permission)),
          )
          .map((person) => person.name)
          .join(', ') || 'nobody else in the roster has the role'
      }).`,
    );
}

/** Refuses a one-person approval where four eyes applies, saying what to do instead. */
export function refuseWithoutFourEyes(platform: Platform, environment: string, what: string, command: string): void {
  if (!fourEyesApplies(platform, environment)) return;
  throw new CockpitError(
    'FORBIDDEN',
    `Four eyes applies to ${environment}: ${what} is a request another person approves. Ask with \`${command}\`, then have them run \`cockpit approve <id>\`.`,
  );
}
