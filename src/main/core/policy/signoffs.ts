/**
 * The staging acceptance checklist (R12, R24): the manual's six critical scenarios, the browsers
 * and devices, and the functional blockers, each signed by a named person with the time and an
 * optional note. One checklist per release train (the next production release date). The
 * signatures are ledger records, signed by the person's key once the roster lists keys: the
 * checklist is what the (merged) ledger's trusted sign-off records say, so a sign-off made on
 * another laptop counts here after a sync, and a forged one never does. Unsigned blockers stop a
 * production deploy; the rest only warn.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import { personNamed, trustedRecords } from '../identity/authority';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import type { GateResult } from './gates';
import { requirePermission, type Identity } from './roles';

export const checklistItems = [
  { id: 'signup-onboarding', section: 'scenario', title: 'Sign-up and complete onboarding' },
  { id: 'oauth-google', section: 'scenario', title: 'Google OAuth sign-in' },
  { id: 'ai-chat-modes', section: 'scenario', title: 'AI chat in tutor and partner modes' },
  { id: 'monthly-subscription', section: 'scenario', title: 'Monthly subscription purchase' },
  { id: 'profile-management', section: 'scenario', title: 'User profile management' },
  { id: 'monitoring-metrics', section: 'scenario', title: 'Monitoring metrics review' },
  { id: 'browser-chrome', section: 'browser', title: 'Chrome (latest)' },
  { id: 'browser-firefox', section: 'browser', title: 'Firefox (latest)' },
  { id: 'browser-safari', section: 'browser', title: 'Safari (current)' },
  { id: 'browser-edge', section: 'browser', title: 'Edge (latest)' },
  { id: 'mobile-ios-safari', section: 'responsive', title: 'Mobile iOS Safari' },
  { id: 'mobile-android-chrome', section: 'responsive', title: 'Mobile Android Chrome' },
  { id: 'tablet', section: 'responsive', title: 'Tablet (iPad / Android)' },
  { id: 'blocker-auth', section: 'blocker', title: 'Authentication works' },
  { id: 'blocker-ai-chat', section: 'blocker', title: 'AI chat works' },
  { id: 'blocker-payments', section: 'blocker', title: 'Payments work' },
  { id: 'blocker-no-data-loss', section: 'blocker', title: 'No data loss' },
  { id: 'blocker-no-critical-regression', section: 'blocker', title: 'No critical regression' },
] as const;

export type ChecklistItemId = (typeof checklistItems)[number]['id'];

export interface Checklist {
  release: string;
  items: {
    id: string;
    section: string;
    title: string;
    signedBy?: string;
    signedAt?: string;
    note?: string;
    /** The signature verifies for the person (false: unsigned, the roster lists no keys). */
    verified?: boolean;
  }[];
  isComplete: boolean;
}

export class SignoffBook {
  constructor(
    private readonly options: {
      platform: Platform;
      audit: AuditTrail;
      identity: Identity;
      clock: () => Date;
    },
  ) {}

  async checklist(release: string): Promise<Checklist> {
    const { platform } = this.options;
    const signatures = signaturesOf(
      trustedRecords(await this.options.audit.ledger.readAll(), platform),
      platform,
      this.releaseName(release),
    );
    const items = checklistItems.map((item) => ({ ...item, ...signatures.get(item.id) }));
    return { release, items, isComplete: items.every((item) => item.signedBy) };
  }

  /** Signs one item as the current user (who needs the signoff role); a signed ledger record. */
  async sign(release: string, item: string, note?: string): Promise<Checklist> {
    return this.record(release, item, { note });
  }

  /** Withdraws a signature (the item is unsigned again), with why; a signed ledger record. */
  async revoke(release: string, item: string, reason: string): Promise<Checklist> {
    if (!reason.trim()) throw new CockpitError('BAD_INPUT', 'Say why the sign-off is withdrawn (--reason).');
    return this.record(release, item, { revokeReason: reason.trim() });
  }

  private async record(
    release: string,
    item: string,
    change: { note?: string; revokeReason?: string },
  ): Promise<Checklist> {
    const { platform, identity, audit } = this.options;
    this.releaseName(release);
    const known = checklistItems.find((candidate) => candidate.id === item);
    if (!known) throw new CockpitError('NOT_FOUND', `"${item}" is not an item of the acceptance checklist.`);
    const isRevoke = change.revokeReason !== undefined;
    const match = requirePermission(
      platform,
      identity,
      'signoff',
      `${isRevoke ? 'Withdrawing the sign-off of' : 'Signing'} "${known.title}"`,
    );
    const signedBy = match.person?.name ?? identity.name;
    const { note } = change;
    await audit.record([
      {
        action: 'signoff',
        status: isRevoke ? 'cancelled' : 'succeeded',
        environment: platform.environments.find((environment) => !environment.protected)?.id,
        summary: isRevoke
          ? `${signedBy} withdrew the sign-off of "${known.title}" for the ${release} release: ${change.revokeReason}`
          : `${signedBy} signed "${known.title}" for the ${release} release${note ? `: ${note}` : ''}`,
        details: {
          release,
          item,
          ...(note ? { note } : {}),
          ...(isRevoke ? { revoked: true, reason: change.revokeReason } : {}),
        },
      },
    ]);
    return this.checklist(release);
  }

  /** Unsigned blockers block; other unsigned items warn. */
  async gate(release: string): Promise<GateResult> {
    const checklist = await this.checklist(release);
    const unsigned = checklist.items.filter((item) => !item.signedBy);
    const base = { id: `signoff:${release.replaceAll(/[^a-z0-9-]/g, '-')}`, title: `Staging sign-offs for ${release}` };
    const blockers = unsigned.filter((item) => item.section === 'blocker');
    if (blockers.length > 0)
      return { ...base, verdict: 'block', evidence: `not signed: ${blockers.map((item) => item.title).join(', ')}` };
    if (unsigned.length > 0)
      return { ...base, verdict: 'warn', evidence: `${unsigned.length} of ${checklist.items.length} items not signed` };
    return { ...base, verdict: 'pass', evidence: `all ${checklist.items.length} items signed` };
  }

  private releaseName(release: string): string {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(release))
      throw new CockpitError('BAD_INPUT', `"${release}" is not a release name (letters, digits, . _ -).`);
    return release;
  }
}

/** Item → its standing signature for a release, from trusted sign-off records (oldest first). */
function signaturesOf(
  records: readonly LedgerRecord[],
  platform: Platform,
  release: string,
): Map<string, { signedBy: string; signedAt: string; note?: string; verified: boolean }> {
  const signatures = new Map<string, { signedBy: string; signedAt: string; note?: string; verified: boolean }>();
  for (const record of records) {
    if (record.action !== 'signoff' || record.details?.release !== release) continue;
    const item = record.details.item;
    if (typeof item !== 'string') continue;
    if (record.details.revoked === true) {
      signatures.delete(item);
      continue;
    }
    const note = typeof record.details.note === 'string' ? record.details.note : undefined;
    signatures.set(item, {
      signedBy: personNamed(platform, record.actor)?.name ?? record.actor.name,
      signedAt: record.time,
      ...(note ? { note } : {}),
      verified: record.signature !== undefined,
    });
  }
  return signatures;
}
