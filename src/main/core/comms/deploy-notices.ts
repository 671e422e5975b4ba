/**
 * The notices of a deploy run, filled from what the ledger recorded of it: started (who, what,
 * from which version), finished (how it ended, how long it took), and — for a succeeded deploy to
 * a protected environment — the release announcement with each release's notes.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import { deployFinishedNotice, deployStartedNotice, releaseAnnouncement, type DeployStepFacts } from './notices';

export interface DeployNotices {
  started: string;
  finished?: string;
  announcement?: string;
}

export async function deployNotices(
  platform: Platform,
  records: LedgerRecord[],
  runId: string,
  releaseNotes: (service: string, from: string, to: string) => Promise<string | undefined>,
): Promise<DeployNotices> {
  const own = records.filter((record) => record.correlationId === runId);
  const started = own.find((record) => record.action === 'deploy.started');
  if (!started) throw new CockpitError('NOT_FOUND', `The ledger has no deploy ${runId}.`);
  const environment = started.environment ?? '?';
  const steps: DeployStepFacts[] = own
    .filter((record) => record.action === 'deploy.step' && record.versionTo)
    .map((record) => ({
      service: record.services?.[0] ?? '?',
      fromVersion: record.versionFrom,
      toVersion: record.versionTo!,
      status: record.status,
    }));
  const finished = own.find((record) => record.action === 'deploy.finished');
  const notices: DeployNotices = { started: deployStartedNotice({ environment, by: started.actor.name, steps }) };
  if (!finished) return notices;
  notices.finished = deployFinishedNotice({
    environment,
    status: finished.status,
    durationMs: Date.parse(finished.time) - Date.parse(started.time),
    steps,
  });
  const isProtected = platform.environments.find((candidate) => candidate.id === environment)?.protected;
  if (finished.status === 'succeeded' && isProtected) {
    const delivered = steps.filter((step) => step.status === 'succeeded');
    notices.announcement = releaseAnnouncement({
      platform: platform.name,
      environment,
      releases: await Promise.all(
        delivered.map(async (step) => ({
          service: step.service,
          version: step.toVersion,
          notes: step.fromVersion
            ? await releaseNotes(step.service, `v${step.fromVersion}`, `v${step.toVersion}`).catch(() => undefined)
            : undefined,
        })),
      ),
    });
  }
  return notices;
}
