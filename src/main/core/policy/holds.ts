/**
 * Holds (Shipit's locks): a person stops deploys to an environment, or to one service there, with
 * a reason, until someone with the gate-override permission lifts it. Rollbacks are never held;
 * a finished rollback holds its service where it ran (`policy.holdAfterRollback`). Holds are
 * ledger records, so a team sharing the ledger shares them. Pure: records in, holds out.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import { requirePermission, rosterMatch, type Identity } from './roles';

export interface Hold {
  environment: string;
  /** Absent: the whole environment. */
  service?: string;
  holder: { name: string; email?: string };
  reason: string;
  since: string;
  /** The rollback that placed it, when one did. */
  rollbackId?: string;
}

const keyOf = (environment: string, service?: string) => `${environment}\u0000${service ?? ''}`;

/** The holds in force after `records` (oldest first). */
export function holdsOf(records: readonly LedgerRecord[]): Hold[] {
  const holds = new Map<string, Hold>();
  for (const record of records) {
    if ((record.action !== 'hold.placed' && record.action !== 'hold.lifted') || !record.environment) continue;
    const service = record.services?.[0];
    const key = keyOf(record.environment, service);
    if (record.action === 'hold.lifted') {
      holds.delete(key);
      continue;
    }
    holds.set(key, {
      environment: record.environment,
      ...(service ? { service } : {}),
      holder: { name: record.actor.name, ...(record.actor.email ? { email: record.actor.email } : {}) },
      reason: typeof record.details?.reason === 'string' ? record.details.reason : record.summary,
      since: record.time,
      ...(typeof record.details?.rollbackId === 'string' ? { rollbackId: record.details.rollbackId } : {}),
    });
  }
  return [...holds.values()];
}

/** The holds that stop a deploy of `services` to the environment. */
export function holdsStopping(holds: readonly Hold[], environment: string, services: readonly string[]): Hold[] {
  return holds.filter(
    (hold) => hold.environment === environment && (hold.service === undefined || services.includes(hold.service)),
  );
}

export function describeHold(hold: Hold): string {
  return `${hold.service ? `${hold.service} in ${hold.environment}` : hold.environment} is held by ${hold.holder.name} since ${hold.since}: ${hold.reason}`;
}

/** Refuses a deploy (LOCKED) while a hold stops it, saying who holds what and how to lift it. */
export function requireNotHeld(holds: readonly Hold[], environment: string, services: readonly string[]): void {
  const stopping = holdsStopping(holds, environment, services);
  if (stopping.length === 0) return;
  throw new CockpitError(
    'LOCKED',
    `Deploy to ${environment} refused, nothing was started: ${stopping.map(describeHold).join('; ')}. A person with the gate-override role lifts a hold (cockpit unlock ${environment}${stopping[0]!.service ? ` --service ${stopping[0]!.service}` : ''} --reason "…").`,
    { holds: stopping },
  );
}

/** Places or lifts holds, as the current user: any roster person holds; lifting needs gate-override. */
export class HoldBook {
  constructor(
    private readonly options: {
      platform: Platform;
      audit: AuditTrail;
      identity: Identity;
      trusted: () => Promise<LedgerRecord[]>;
    },
  ) {}

  async list(): Promise<Hold[]> {
    return holdsOf(await this.options.trusted());
  }

  async place(environment: string, service: string | undefined, reason: string): Promise<Hold[]> {
    const { platform, identity } = this.options;
    const target = this.check(environment, service, reason);
    if (!rosterMatch(platform, identity).person)
      throw new CockpitError(
        'FORBIDDEN',
        `Placing a hold needs a place in the roster of ${platform.name}; ${identity.name} is not in it.`,
      );
    await this.options.audit.record([
      {
        action: 'hold.placed',
        status: 'info',
        environment,
        ...(service ? { services: [service] } : {}),
        summary: `Hold on ${service ? `${service} in ${target.name}` : target.name}: ${reason.trim()}`,
        details: { reason: reason.trim() },
      },
    ]);
    return this.list();
  }

  async lift(environment: string, service: string | undefined, reason: string): Promise<Hold[]> {
    const { platform, identity } = this.options;
    const target = this.check(environment, service, reason);
    requirePermission(platform, identity, 'gate-override', `Lifting a hold on ${target.name}`);
    const held = (await this.list()).find((hold) => hold.environment === environment && hold.service === service);
    if (!held)
      throw new CockpitError(
        'NOT_FOUND',
        `${service ? `${service} in ${target.name}` : target.name} is not held${service ? '' : ' as a whole (see `cockpit locks`)'}.`,
      );
    await this.options.audit.record([
      {
        action: 'hold.lifted',
        status: 'info',
        environment,
        ...(service ? { services: [service] } : {}),
        summary: `Hold lifted on ${service ? `${service} in ${target.name}` : target.name} (placed by ${held.holder.name}): ${reason.trim()}`,
        details: { reason: reason.trim(), placedBy: held.holder.name, placedAt: held.since },
      },
    ]);
    return this.list();
  }

  private check(environment: string, service: string | undefined, reason: string) {
    const { platform } = this.options;
    const target = platform.environments.find((candidate) => candidate.id === environment);
    if (!target) throw new CockpitError('NOT_FOUND', `"${environment}" is not an environment of ${platform.name}.`);
    if (service && !platform.services.some((candidate) => candidate.id === service))
      throw new CockpitError('NOT_FOUND', `${platform.name} has no service "${service}".`);
    if (!reason.trim())
      throw new CockpitError('BAD_INPUT', 'Say why (--reason "…"): the reason is what others will read.');
    return target;
  }
}
