/**
 * The manual's notice templates, filled from live data (R17): the internal rollback notice
 * (service, version a → b, reason, ETA, contact) and the user maintenance notice sent once users
 * are affected for more than five minutes. Pure.
 */
import { formatDuration } from '../../../shared/time-format';

export interface RollbackNoticeFacts {
  service: string;
  environment: string;
  level: 1 | 2 | 3;
  /** The version running when the rollback started, and the one it brings. */
  fromVersion?: string;
  toVersion?: string;
  /** Level 3: the backup restored. */
  backup?: string;
  reason: string;
  /** When the service should be back, already formatted for people ("by 14:35 Europe/Paris"). */
  eta: string;
  contact: string;
  /** The rollback was verified this long after it started: the notice says it is resolved. */
  resolvedAfterMs?: number;
}

/** Users count as affected once an incident passes this long. */
export const userImpactThresholdMs = 5 * 60_000;

export function rollbackNotice(facts: RollbackNoticeFacts): string {
  const version =
    facts.level === 3
      ? `data restored from backup ${facts.backup ?? '(to be chosen)'}; versions unchanged`
      : `v${facts.fromVersion ?? '?'} → v${facts.toVersion ?? '(to be decided)'}`;
  if (facts.resolvedAfterMs !== undefined)
    return [
      '✅ ROLLBACK RESOLVED',
      `Service: ${facts.service} (${facts.environment}), level ${facts.level}`,
      `Version: ${version}, verified healthy`,
      `Reason: ${facts.reason}`,
      `Duration: ${formatDuration(facts.resolvedAfterMs)} (the rollback itself, from its start to the verified health check)`,
      `Contact: ${facts.contact}`,
    ].join('\n');
  return [
    '🚨 ROLLBACK IN PROGRESS',
    `Service: ${facts.service} (${facts.environment}), level ${facts.level}`,
    `Version: ${version}`,
    `Reason: ${facts.reason}`,
    `ETA: ${facts.eta}`,
    `Contact: ${facts.contact}`,
  ].join('\n');
}

export function maintenanceNotice(facts: { eta: string; services: string[] }): string {
  return [
    '🔧 Maintenance in progress',
    'We are fixing a technical problem.',
    `Estimated time: ${facts.eta}`,
    `Affected services: ${facts.services.join(', ')}`,
    'We will keep you informed.',
  ].join('\n');
}

/** "by 14:35 Europe/Paris (within 15 min)" from the start, the target and the platform's zone. */
export function etaText(startedAt: Date, targetMinutes: number, timeZone: string): string {
  const due = new Date(startedAt.getTime() + targetMinutes * 60_000);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(due);
  return `by ${clock} ${timeZone} (within ${targetMinutes} min)`;
}

export interface DeployStepFacts {
  service: string;
  fromVersion?: string;
  toVersion: string;
  status: string;
}

export function deployStartedNotice(facts: { environment: string; by: string; steps: DeployStepFacts[] }): string {
  return [
    `🚀 Deploy to ${facts.environment} started by ${facts.by}`,
    ...facts.steps.map((step) => `- ${step.service}: v${step.fromVersion ?? '?'} → v${step.toVersion}`),
  ].join('\n');
}

export function deployFinishedNotice(facts: {
  environment: string;
  status: string;
  durationMs: number;
  steps: DeployStepFacts[];
}): string {
  const icon = facts.status === 'succeeded' ? '✅' : facts.status === 'cancelled' ? '⏹' : '❌';
  return [
    `${icon} Deploy to ${facts.environment} ${facts.status} after ${formatDuration(facts.durationMs)}`,
    ...facts.steps.map((step) => `- ${step.service} v${step.toVersion}: ${step.status}`),
  ].join('\n');
}

/** The release announcement: what reached the environment, with each release's notes. */
export function releaseAnnouncement(facts: {
  platform: string;
  environment: string;
  releases: { service: string; version: string; notes?: string }[];
}): string {
  return [
    `📣 ${facts.platform}: released to ${facts.environment}`,
    '',
    ...facts.releases.flatMap((release) => [
      `*${release.service} v${release.version}*`,
      release.notes?.trim() || '(no release notes)',
      '',
    ]),
  ]
    .join('\n')
    .trimEnd();
}
