/**
 * Marking a version bad — no plan or promotion proposes it, a start naming it is refused unless a
 * person allows it — or good again: a ledger record with who and why, so a shared ledger shares it.
 */
import { CockpitError } from '../errors';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';
import type { StoredPlan } from './plan-store';
import { requireVersion } from './versions';

export interface VersionMarkInput {
  service: string;
  version: string;
  verdict: 'bad' | 'good';
  reason: string;
}

/** Records a version bad (no plan proposes it, a start refuses it) or good again, with why. */
export async function markVersion(audit: AuditTrail, platform: Platform, input: VersionMarkInput) {
  const service = platform.services.find((candidate) => candidate.id === input.service);
  if (!service) throw new CockpitError('NOT_FOUND', `${platform.name} has no service "${input.service}".`);
  const version = requireVersion(input.version, `The version of ${service.id}`);
  const reason = input.reason.trim();
  if (!reason)
    throw new CockpitError(
      'BAD_INPUT',
      `Say why v${version} of ${service.id} is ${input.verdict}: a reason is required.`,
    );
  const [record] = await audit.record([
    {
      action: input.verdict === 'bad' ? 'version.marked-bad' : 'version.marked-good',
      status: 'info',
      services: [service.id],
      versionTo: version,
      summary: `v${version} of ${service.id} marked ${input.verdict}: ${reason}`,
      details: { reason },
    },
  ]);
  return { service: service.id, version, verdict: input.verdict, markedBy: record!.actor.name };
}

/** A plan allowed to deploy versions marked bad: the person's reason is recorded before the run. */
export async function recordAllowedBad(
  audit: AuditTrail,
  stored: Pick<StoredPlan, 'planId' | 'request' | 'marks'>,
  runId: string,
  environment: string,
): Promise<void> {
  if (stored.request.allowBad && stored.marks.length > 0)
    await audit.record([
      {
        action: 'override',
        status: 'info',
        correlationId: runId,
        environment,
        services: stored.marks.map((mark) => mark.service),
        summary: `Deploying versions marked bad (${stored.marks.map((mark) => `${mark.service} v${mark.version}`).join(', ')}): ${stored.request.allowBad}`,
        details: { kind: 'allow-bad', reason: stored.request.allowBad, planId: stored.planId },
      },
    ]);
}
