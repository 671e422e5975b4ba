/**
 * The staging acceptance checklist (R12, R24): the manual's six critical scenarios, the browsers
 * and devices, and the functional blockers, each signed by a named person with the time and an
 * optional note. One checklist per release train (the next production release date), kept in the
 * data folder (written whole, atomically) and every signature recorded in the ledger. Unsigned
 * blockers stop a production deploy; the rest only warn.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic-file';
import { CockpitError } from '../errors';
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

const Signatures = z.record(
  z.string(),
  z.object({ signedBy: z.string(), signedAt: z.string(), note: z.string().optional() }),
);
type Signatures = z.infer<typeof Signatures>;

export interface Checklist {
  release: string;
  items: {
    id: string;
    section: string;
    title: string;
    signedBy?: string;
    signedAt?: string;
    note?: string;
  }[];
  isComplete: boolean;
}

export class SignoffBook {
  constructor(
    private readonly options: {
      platform: Platform;
      dataDir: string;
      audit: AuditTrail;
      identity: Identity;
      clock: () => Date;
    },
  ) {}

  async checklist(release: string): Promise<Checklist> {
    const signatures = await this.read(release);
    const items = checklistItems.map((item) => ({ ...item, ...signatures[item.id] }));
    return { release, items, isComplete: items.every((item) => item.signedBy) };
  }

  /** Signs one item as the current user (who needs the signoff role); recorded in the ledger. */
  async sign(release: string, item: string, note?: string): Promise<Checklist> {
    const { platform, identity, clock, audit } = this.options;
    const known = checklistItems.find((candidate) => candidate.id === item);
    if (!known) throw new CockpitError('NOT_FOUND', `"${item}" is not an item of the acceptance checklist.`);
    const match = requirePermission(platform, identity, 'signoff', `Signing "${known.title}"`);
    const signedBy = match.person?.name ?? identity.name;
    const signedAt = clock().toISOString();
    await audit.record([
      {
        action: 'signoff',
        status: 'succeeded',
        environment: platform.environments.find((environment) => !environment.protected)?.id,
        summary: `${signedBy} signed "${known.title}" for the ${release} release${note ? `: ${note}` : ''}`,
        details: { release, item, note },
      },
    ]);
    const signatures = await this.read(release);
    signatures[item] = { signedBy, signedAt, ...(note ? { note } : {}) };
    await writeFileAtomic(this.file(release), `${JSON.stringify(signatures, null, 2)}\n`);
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

  private file(release: string): string {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(release))
      throw new CockpitError('BAD_INPUT', `"${release}" is not a release name (letters, digits, . _ -).`);
    return path.join(this.options.dataDir, 'signoffs', this.options.platform.id, `${release}.json`);
  }

  /** The signatures so far; a damaged file is reported, never silently replaced. */
  private async read(release: string): Promise<Signatures> {
    const file = this.file(release);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return {};
    }
    let parsed: ReturnType<typeof Signatures.safeParse> | undefined;
    try {
      parsed = Signatures.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success)
      throw new CockpitError(
        'BAD_INPUT',
        `${file} is damaged: repair or remove it (every signature is also in the ledger, action "signoff").`,
      );
    return parsed.data;
  }
}
