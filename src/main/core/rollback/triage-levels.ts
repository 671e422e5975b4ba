/**
 * The manual's rollback levels: the level each symptom calls for, each level's title, what it
 * changes and its runbook, as triage shows them.
 */
import type { RunbookStep } from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { Platform } from '../platform/schema';
import { levelOneSteps } from './level-one';
import { levelThreeSteps, requireRestoreScope, restoreScope } from './level-three';
import { levelTwoSteps, revertTarget } from './level-two';
import { levelTargets, type RollbackLevel } from './rollback-plan';
import type { RollbackStep } from './step-machine';

export const symptoms = ['functional-bug', 'service-loss', 'data-corruption', 'security-breach'] as const;
export type Symptom = (typeof symptoms)[number];

/** The manual's answer to each symptom. */
export const recommendations: Record<Symptom, { level: RollbackLevel; why: string }> = {
  'service-loss': {
    level: 1,
    why: 'A critical error or a lost service: get back to the last version that worked, fast.',
  },
  'security-breach': { level: 1, why: 'A breach: leave the exposed version at once, then fix forward or revert.' },
  'functional-bug': { level: 2, why: 'A functional bug: revert the bad commit and release a patch.' },
  'data-corruption': { level: 3, why: 'Corrupted data: restore the database from a backup.' },
};

const levelTitles: Record<RollbackLevel, string> = {
  1: 'Redeploy the previous stable version',
  2: 'Revert the bad commit and redeploy',
  3: 'Restore the database',
};

/** A level as triage shows it: available or not (and why), what it changes, its runbook. */
export function levelSummary(platform: Platform, level: RollbackLevel, service: string, environment: string) {
  const base = { level, title: levelTitles[level], targetMinutes: levelTargets[level] };
  try {
    const steps: RollbackStep<never>[] =
      level === 1
        ? levelOneSteps()
        : level === 2
          ? levelTwoSteps(platform, service, environment)
          : levelThreeSteps(platform, requireRestoreScope(platform, service, environment));
    const note =
      level === 1
        ? 'Changes the running service only; the data and the repositories stay as they are.'
        : level === 2
          ? `Reverts commits on ${revertTarget(platform, service, environment).branch} and releases a patch; the data stays as it is.`
          : `Replaces the data, with ${restoreScope(platform, service, environment).affected.join(', ')} stopped meanwhile. Needs the rollback-level-3 role and the environment's name typed.`;
    return { ...base, isAvailable: true, note, runbook: steps.map(runbookStep) };
  } catch (error) {
    if (!(error instanceof CockpitError)) throw error;
    return { ...base, isAvailable: false, note: error.message, runbook: [] };
  }
}

function runbookStep(step: RollbackStep<never>): RunbookStep {
  return {
    id: step.id,
    title: step.title,
    touches: step.touches,
    needsNetwork: step.needsNetwork,
    changesSomething: step.changesSomething,
  };
}

export function symptomReason(level: RollbackLevel): string {
  return level === 3 ? 'data corruption' : 'a production incident';
}
