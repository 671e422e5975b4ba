/**
 * The rotation of the platform's secrets (R23): each secret's last rotation (the platform file's
 * `lastRotatedAt`, or the last rotation completed in the ledger), its due date under the 90-day
 * policy (or its own period), and the rotation runbook as a checklist — every step checked is a
 * `rotation.step` record; the last step checked completes the rotation. The reading is pure;
 * `RotationBook` records the checks.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import type { AuditTrail } from '../ledger/audit-trail';
import type { Platform } from '../platform/schema';

/** The manual's rotation runbook, in order. */
export const rotationRunbook = [
  { id: 'generate', title: 'Generate the new value (and keep the old one valid for now)' },
  { id: 'staging', title: 'Update it in staging and check staging still works' },
  { id: 'production', title: 'Update it in production' },
  { id: 'deploy', title: 'Rolling deploy of the services that use it' },
  { id: 'validate', title: 'Validate: health, logins, payments, e-mails' },
  { id: 'revoke', title: 'Revoke the old value' },
] as const;
export type RotationStepId = (typeof rotationRunbook)[number]['id'];

/** Due within this many days counts as "due soon". */
export const dueSoonDays = 14;

export interface SecretRotation {
  id: string;
  kind: string;
  description?: string;
  environment?: string;
  owner?: string;
  rotationDays: number;
  lastRotatedAt?: string;
  dueAt?: string;
  daysLeft?: number;
  status: 'ok' | 'due-soon' | 'overdue' | 'never-rotated';
  /** The rotation under way (steps checked since the last completed one). */
  runbook: { id: RotationStepId; title: string; doneAt?: string; by?: string; note?: string }[];
}

export function secretRotations(platform: Platform, records: LedgerRecord[], now: Date): SecretRotation[] {
  return platform.secrets.map((secret) => {
    const steps = records.filter(
      (record) =>
        record.action === 'rotation.step' && record.status === 'succeeded' && record.details?.secret === secret.id,
    );
    // A rotation completes with its last runbook step; what follows belongs to the next one.
    const completions = steps.filter((record) => record.details?.completes === true);
    const lastCompleted = completions.at(-1);
    const current = lastCompleted ? steps.slice(steps.indexOf(lastCompleted) + 1) : steps;
    const fileDate = secret.lastRotatedAt ? new Date(`${secret.lastRotatedAt}T00:00:00Z`) : undefined;
    const ledgerDate = lastCompleted ? new Date(lastCompleted.time) : undefined;
    const last = [fileDate, ledgerDate].filter((date): date is Date => date !== undefined).sort((a, b) => +b - +a)[0];
    const rotationDays = secret.rotationDays ?? platform.policy.rotationDays;
    const due = last ? new Date(last.getTime() + rotationDays * 86_400_000) : undefined;
    const daysLeft = due ? Math.floor((due.getTime() - now.getTime()) / 86_400_000) : undefined;
    return {
      id: secret.id,
      kind: secret.kind,
      ...(secret.description ? { description: secret.description } : {}),
      ...(secret.environment ? { environment: secret.environment } : {}),
      ...(secret.owner ? { owner: secret.owner } : {}),
      rotationDays,
      ...(last ? { lastRotatedAt: last.toISOString() } : {}),
      ...(due ? { dueAt: due.toISOString(), daysLeft } : {}),
      status:
        daysLeft === undefined
          ? 'never-rotated'
          : daysLeft < 0
            ? 'overdue'
            : daysLeft <= dueSoonDays
              ? 'due-soon'
              : 'ok',
      runbook: rotationRunbook.map((step) => {
        const done = current.findLast((record) => record.details?.step === step.id);
        return {
          ...step,
          ...(done
            ? {
                doneAt: done.time,
                by: done.actor.name,
                ...(typeof done.details?.note === 'string' ? { note: done.details.note } : {}),
              }
            : {}),
        };
      }),
    };
  });
}

/** Whether checking `step` now completes the rotation (every other step is already checked). */
export function completesRotation(rotation: SecretRotation, step: RotationStepId): boolean {
  return rotation.runbook.every((candidate) => candidate.id === step || candidate.doneAt !== undefined);
}

/** The rotation checklist in the app: read from the ledger, each checked step written to it. */
export class RotationBook {
  constructor(
    private readonly options: {
      platform: Platform;
      audit: AuditTrail;
      clock: () => Date;
    },
  ) {}

  async list(): Promise<SecretRotation[]> {
    return secretRotations(this.options.platform, await this.options.audit.ledger.readAll(), this.options.clock());
  }

  async check(secretId: string, step: RotationStepId, note?: string): Promise<SecretRotation[]> {
    const rotation = (await this.list()).find((candidate) => candidate.id === secretId);
    if (!rotation)
      throw new CockpitError(
        'NOT_FOUND',
        `${this.options.platform.name} declares no secret "${secretId}" under secrets.`,
      );
    const entry = rotation.runbook.find((candidate) => candidate.id === step)!;
    if (entry.doneAt)
      throw new CockpitError('BAD_INPUT', `"${entry.title}" is already checked for this rotation of ${secretId}.`);
    const completes = completesRotation(rotation, step);
    await this.options.audit.record([
      {
        action: 'rotation.step',
        status: 'succeeded',
        environment: rotation.environment,
        summary: `Rotation of ${secretId}: ${entry.title}${completes ? ' — rotation complete' : ''}`,
        details: { secret: secretId, step, completes, ...(note ? { note } : {}) },
      },
    ]);
    return this.list();
  }
}
