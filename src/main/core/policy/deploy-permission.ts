/**
 * May this person deploy to this environment now? A protected environment needs the
 * production-deploy role and an open deployment window — or, for a security issue or data
 * corruption, a hotfix exception approved (with a reason) by a role allowed to, which opens the
 * environment for the platform's hotfix hours. Pure: records and the moment are parameters.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import { windowState, type WindowState } from './deployment-window';
import { requirePermission, rolesWith, type Identity } from './roles';

export const hotfixCategories = ['security', 'data-corruption'] as const;
export type HotfixCategory = (typeof hotfixCategories)[number];

export interface HotfixException {
  approvedBy: string;
  category: HotfixCategory;
  reason: string;
  approvedAt: string;
  expiresAt: string;
}

/** The hotfix exception in force for an environment at `now`, from the ledger's approvals. */
export function activeHotfixException(
  records: LedgerRecord[],
  environment: string,
  now: Date,
): HotfixException | undefined {
  for (const record of [...records].reverse()) {
    if (record.action !== 'approval' || record.environment !== environment) continue;
    const details = record.details as Partial<HotfixException> & { kind?: string };
    if (details?.kind !== 'hotfix-exception' || !details.expiresAt) continue;
    if (new Date(details.expiresAt) <= now || new Date(record.time) > now) continue;
    return {
      approvedBy: record.actor.name,
      category: details.category as HotfixCategory,
      reason: details.reason ?? '',
      approvedAt: record.time,
      expiresAt: details.expiresAt,
    };
  }
  return undefined;
}

export interface DeployPermission {
  window: WindowState;
  exception?: HotfixException;
}

export function checkDeployAllowed(input: {
  platform: Platform;
  environment: string;
  identity: Identity;
  records: LedgerRecord[];
  now: Date;
}): DeployPermission {
  const { platform, environment, now } = input;
  const target = platform.environments.find((candidate) => candidate.id === environment);
  const window = windowState(platform, environment, now);
  if (!target?.protected) return { window };
  requirePermission(platform, input.identity, 'production-deploy', `Deploying to ${target.name}`);
  if (window.isOpen) return { window };
  const exception = activeHotfixException(input.records, environment, now);
  if (exception) return { window, exception };
  throw new CockpitError(
    'WINDOW_CLOSED',
    `${target.name} is closed for deploys. ${window.reason}${window.nextOpensAt ? ` The next window opens at ${window.nextOpensAt}.` : ''} ` +
      `A hotfix for a security issue or data corruption may go now with a hotfix exception approved by a ${rolesWith(platform, 'hotfix-exception').join(' or ')}.`,
    { nextOpensAt: window.nextOpensAt },
  );
}

/** Gate overrides in force for an environment at `now`: gate id → who approved it, and why. */
export function activeOverrides(
  records: LedgerRecord[],
  environment: string,
  now: Date,
): Map<string, { approvedBy: string; reason: string }> {
  const overrides = new Map<string, { approvedBy: string; reason: string }>();
  for (const record of records) {
    if (record.action !== 'override' || record.environment !== environment) continue;
    const details = record.details as { gates?: unknown; reason?: unknown; expiresAt?: unknown } | undefined;
    if (!Array.isArray(details?.gates) || typeof details.expiresAt !== 'string') continue;
    if (new Date(details.expiresAt) <= now || new Date(record.time) > now) continue;
    for (const gate of details.gates)
      if (typeof gate === 'string')
        overrides.set(gate, { approvedBy: record.actor.name, reason: String(details.reason ?? '') });
  }
  return overrides;
}
