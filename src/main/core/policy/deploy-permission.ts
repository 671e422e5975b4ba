/**
 * May this person deploy to this environment now? A protected environment needs the
 * production-deploy role and an open deployment window — or, for a security issue or data
 * corruption, a hotfix exception approved (with a reason) by a role allowed to, which opens the
 * environment for the platform's hotfix hours — for the exception's services only. Pure: the
 * approvals (see approvals.ts) and the moment are parameters.
 */
import { servicesInScope } from '../../../shared/approval-text';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import { windowState, type WindowState } from './deployment-window';
import { approvalsInForce, exceptionCovers, type Approval } from './approvals';
import type { GateResult } from './gates';
import { requirePermission, rolesWith, type Identity } from './roles';

/** The gates and the window a plan shows. */
export interface DeployAssessment {
  gates: GateResult[];
  window: { isOpen: boolean; reason: string; exception?: string; nextOpensAt?: string };
}

export const hotfixCategories = ['security', 'data-corruption'] as const;
export type HotfixCategory = (typeof hotfixCategories)[number];

export interface HotfixException {
  approvedBy: string;
  category: HotfixCategory;
  reason: string;
  approvedAt: string;
  expiresAt: string;
  /** The services it opens the window for (absent: every service). */
  services?: string[];
  versions?: Record<string, string>;
  /** Approved by someone other than the requester. */
  isIndependent: boolean;
  /** Who asked for it, when someone else approved. */
  requestedBy?: string;
}

function asException(approval: Approval): HotfixException {
  return {
    approvedBy: approval.decidedBy ?? approval.requestedBy,
    category: (approval.category ?? 'security') as HotfixCategory,
    reason: approval.reason,
    approvedAt: approval.decidedAt ?? approval.requestedAt,
    expiresAt: approval.expiresAt,
    ...(approval.services.length > 0 ? { services: approval.services } : {}),
    ...(Object.keys(approval.versions).length > 0 ? { versions: approval.versions } : {}),
    isIndependent: approval.isIndependent,
    ...(approval.requestedBy !== approval.decidedBy ? { requestedBy: approval.requestedBy } : {}),
  };
}

/** The exception in force that lets a deploy of `versions` through, else the newest one in force. */
export function activeHotfixException(
  approvals: readonly Approval[],
  environment: string,
  versions?: Record<string, string>,
): HotfixException | undefined {
  const inForce = approvalsInForce(approvals, 'hotfix-exception', environment);
  const covering = versions ? inForce.find((approval) => exceptionCovers(approval, versions)) : undefined;
  const chosen = covering ?? inForce[0];
  return chosen ? asException(chosen) : undefined;
}

/** Whether an exception covers a deploy of `versions`. */
export function exceptionAllows(exception: HotfixException, versions: Record<string, string>): boolean {
  return exceptionCovers({ services: exception.services ?? [], versions: exception.versions ?? {} }, versions);
}

/** "for payment-service until …", or "for every service until …". */
export function exceptionScope(exception: HotfixException): string {
  return `for ${servicesInScope(exception.services, exception.versions)} until ${exception.expiresAt}`;
}

export interface DeployPermission {
  window: WindowState;
  exception?: HotfixException;
}

export function checkDeployAllowed(input: {
  platform: Platform;
  environment: string;
  identity: Identity;
  approvals: readonly Approval[];
  now: Date;
  /** Service → version of the deploy: an exception opens the window for its services only. */
  versions?: Record<string, string>;
}): DeployPermission {
  const { platform, environment, now } = input;
  const target = platform.environments.find((candidate) => candidate.id === environment);
  const window = windowState(platform, environment, now);
  if (!target?.protected) return { window };
  requirePermission(platform, input.identity, 'production-deploy', `Deploying to ${target.name}`);
  if (window.isOpen) return { window };
  const versions = input.versions ?? {};
  const exception = activeHotfixException(input.approvals, environment, versions);
  if (exception && exceptionAllows(exception, versions)) return { window, exception };
  const outside = exception
    ? Object.keys(versions).filter((service) => !exceptionAllows(exception, { [service]: versions[service]! }))
    : [];
  const partly = exception
    ? ` The hotfix exception in force is ${exceptionScope(exception)}: ${outside.length > 0 ? `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not part of it.` : 'name the services it is for.'}`
    : '';
  throw new CockpitError(
    'WINDOW_CLOSED',
    `${target.name} is closed for deploys. ${window.reason}${window.nextOpensAt ? ` The next window opens at ${window.nextOpensAt}.` : ''}${partly} ` +
      `A hotfix for a security issue or data corruption may go now with a hotfix exception approved by a ${rolesWith(platform, 'hotfix-exception').join(' or ')}.`,
    { nextOpensAt: window.nextOpensAt },
  );
}

/** Gate overrides in force for an environment: gate id → who approved it, and why. */
export function activeOverrides(
  approvals: readonly Approval[],
  environment: string,
): Map<string, { approvedBy: string; reason: string; isIndependent: boolean }> {
  const overrides = new Map<string, { approvedBy: string; reason: string; isIndependent: boolean }>();
  for (const approval of [...approvalsInForce(approvals, 'gate-override', environment)].reverse())
    for (const gate of approval.gates)
      overrides.set(gate, {
        approvedBy: approval.decidedBy ?? approval.requestedBy,
        reason: approval.reason,
        isIndependent: approval.isIndependent,
      });
  return overrides;
}

/**
 * What a plan shows of its gates and window: an overridden gate says by whom, the window says
 * which hotfix exception opens it (or that one in force does not cover this deploy).
 */
export function assessment(
  gates: GateResult[],
  overrides: ReturnType<typeof activeOverrides>,
  window: WindowState,
  exception: HotfixException | undefined,
  found: HotfixException | undefined,
): DeployAssessment {
  return {
    gates: gates.map((gate) => {
      const override = gate.verdict === 'block' ? overrides.get(gate.id) : undefined;
      return override
        ? {
            ...gate,
            evidence: `${gate.evidence} (overridden by ${override.approvedBy}${override.isIndependent ? '' : ', not independent'})`,
          }
        : gate;
    }),
    window: {
      isOpen: window.isOpen || exception !== undefined,
      reason: window.reason,
      ...(exception
        ? {
            exception: `open under hotfix exception ${exceptionScope(exception)} (${exception.category}, approved by ${exception.approvedBy}${exception.isIndependent ? '' : ', not independent'}: ${exception.reason})`,
          }
        : found && !window.isOpen
          ? { exception: `a hotfix exception is in force ${exceptionScope(found)}, but not for this deploy` }
          : {}),
      ...(window.nextOpensAt ? { nextOpensAt: window.nextOpensAt } : {}),
    },
  };
}
