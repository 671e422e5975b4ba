/**
 * Computing a deploy plan from what is true now — default targets (never a version marked bad),
 * explicit targets (refused when marked bad, unless a person allows it), the versions running,
 * the gates and the window — and comparing a reviewed plan with the same computation at start:
 * anything that changed in between refuses the start, saying what.
 */
import type { LedgerRecord } from '../../../shared/ledger-record';
import type { CiStatus, StepGate } from '../../../shared/contract';
import { CockpitError } from '../errors';
import type { HealthProber, ProbeResult } from '../health/prober';
import type { Platform, PlatformEnvironment } from '../platform/schema';
import type { DeployAssessment } from '../policy/policy-service';
import { ciStateVerdict } from '../policy/gates';
import { planDeploy, stepFields, type DeployPlan, type PlannedStep } from './plan';
import type { StoredPlan, StoredPlanInput } from './plan-store';
import { currentHealth } from '../health/current-health';
import { defaultTargets } from './targets';
import { badVersions, describeMark, markOf, type BadVersionMark } from './version-marks';
import { requireVersion } from './versions';

export interface PlanRequest {
  environment: string;
  services?: string[];
  versions?: Record<string, string>;
  /** Deploy an explicitly named version marked bad anyway, for this reason. */
  allowBad?: string;
}

export interface PlannerDependencies {
  platform: Platform;
  prober: HealthProber;
  records: () => Promise<LedgerRecord[]>;
  assess?: (environment: string, versions: Record<string, string>) => Promise<DeployAssessment>;
  ciStatus?: (service: string, tag: string) => Promise<CiStatus>;
}

export interface ComputedPlan {
  plan: DeployPlan;
  environment: PlatformEnvironment;
  health: Map<string, ProbeResult | undefined>;
  assessment: DeployAssessment;
  /** Marks that kept a service where it is, or that a person allowed. */
  marks: BadVersionMark[];
}

const noAssessment: DeployAssessment = { gates: [], window: { isOpen: true, reason: 'No deployment window applies.' } };

/** The environment, or NOT_FOUND (also for ids such as `constructor`). */
export function requireEnvironment(platform: Platform, id: string): PlatformEnvironment {
  const environment = platform.environments.find((candidate) => candidate.id === id);
  if (!environment)
    throw new CockpitError('NOT_FOUND', `"${id.slice(0, 80)}" is not an environment of ${platform.name}.`);
  return environment;
}

/** A protected environment's deploy needs the environment's name (or id) typed. */
export function requireConfirmation(environment: PlatformEnvironment, confirmation: string | undefined): void {
  if (!environment.protected) return;
  const typed = confirmation?.trim().toLowerCase();
  if (typed && (typed === environment.id.toLowerCase() || typed === environment.name.toLowerCase())) return;
  throw new CockpitError(
    'CONFIRMATION_REQUIRED',
    `Deploying to ${environment.name} needs its name typed to confirm: type "${environment.id}".`,
  );
}

/**
 * The plan for `request` now. For a review (`isReview`), an explicitly named version marked bad
 * stays in the plan with the mark said on its step; a start refuses it unless a person allowed it.
 */
export async function computePlan(
  request: PlanRequest,
  dependencies: PlannerDependencies,
  isReview = false,
): Promise<ComputedPlan> {
  const { platform, prober } = dependencies;
  const environment = requireEnvironment(platform, request.environment);
  for (const service of [...(request.services ?? []), ...Object.keys(request.versions ?? {})]) {
    if (!platform.services.some((candidate) => candidate.id === service && candidate.environments[environment.id]))
      throw new CockpitError('NOT_FOUND', `${platform.name} has no service "${service}" in ${environment.name}.`);
  }
  const marks = badVersions(await dependencies.records());
  const explicit = Object.fromEntries(
    Object.entries(request.versions ?? {}).map(([service, version]) => [
      service,
      requireVersion(version, `The version given for ${service}`),
    ]),
  );
  const affecting: BadVersionMark[] = [];
  const refused = new Map<string, BadVersionMark>();
  for (const [service, version] of Object.entries(explicit)) {
    const mark = markOf(marks, service, version);
    if (!mark) continue;
    if (!request.allowBad && isReview) {
      refused.set(service, mark);
      affecting.push(mark);
      continue;
    }
    if (!request.allowBad)
      throw new CockpitError(
        'VERSION_MARKED_BAD',
        `${describeMark(mark)} on ${mark.markedAt}: it is not deployed again. If you must, allow it with a reason (--allow-bad "<reason>"); it is recorded.`,
        { service, version },
      );
    affecting.push(mark);
  }
  const defaults = await defaultTargets(platform, environment.id, prober, request.services);
  const targets: Record<string, string> = { ...defaults, ...explicit };
  const health = await currentHealth(platform, environment.id, prober, Object.keys(targets));
  const running = Object.fromEntries([...health].map(([service, result]) => [service, result?.version]));
  const keep: Record<string, { version: string; reason: string }> = {};
  for (const [service, version] of Object.entries(defaults)) {
    const mark = explicit[service] === undefined ? markOf(marks, service, version) : undefined;
    if (!mark) continue;
    affecting.push(mark);
    delete targets[service];
    const now = running[service];
    keep[service] = {
      version: now ?? version,
      reason: `kept ${now ? `at v${now}` : 'where it is'}: ${describeMark(mark)}`,
    };
  }
  const plan = planDeploy({ platform, environment: environment.id, targets, running, keep });
  for (const step of plan.waves.flat()) {
    const mark = refused.get(step.service);
    if (mark) step.reason = `${step.reason} — refused at start: ${describeMark(mark)}; allow it with a reason`;
  }
  const assessment = (await dependencies.assess?.(environment.id, deployVersions(plan))) ?? noAssessment;
  return { plan, environment, health, assessment, marks: affecting };
}

/** Service → version of the steps that would deploy something. */
export function deployVersions(plan: DeployPlan): Record<string, string> {
  return Object.fromEntries(
    plan.waves
      .flat()
      .filter((step) => step.action === 'deploy')
      .map((step) => [step.service, step.version]),
  );
}

/** Each deploying step's own checks: health of the service now, CI of its target version. */
export async function stepGates(
  computed: ComputedPlan,
  ciStatus: PlannerDependencies['ciStatus'],
): Promise<Map<string, StepGate[]>> {
  const gates = new Map<string, StepGate[]>();
  await Promise.all(
    computed.plan.waves
      .flat()
      .filter((step) => step.action === 'deploy')
      .map(async (step) =>
        gates.set(step.service, [healthGate(computed.health.get(step.service)), await ciGate(step, ciStatus)]),
      ),
  );
  return gates;
}

const severity = { pass: 0, warn: 1, unknown: 1, block: 2 } as const;

/** What differs between a reviewed plan and the plan computed now; empty when nothing does. */
export function planChanges(stored: StoredPlan, fresh: ComputedPlan): string[] {
  const changes: string[] = [];
  const before = new Map(stored.waves.flat().map((step) => [step.service, step]));
  const now = new Map(fresh.plan.waves.flat().map((step) => [step.service, step]));
  const shown = (version: string | undefined) => (version ? `v${version}` : 'an unknown version');
  for (const service of new Set([...before.keys(), ...now.keys()])) {
    const old = before.get(service);
    const current = now.get(service);
    if (!current) changes.push(`${service} is no longer in the plan`);
    else if (!old) changes.push(`${service} joined the plan (v${current.version})`);
    else {
      if (old.runningVersion !== current.runningVersion)
        changes.push(
          `${service} now runs ${shown(current.runningVersion)} (the plan saw ${shown(old.runningVersion)})`,
        );
      if (old.version !== current.version)
        changes.push(`the target of ${service} is now v${current.version} (the plan said v${old.version})`);
      else if (old.action !== current.action) changes.push(`${service} would now ${current.action}: ${current.reason}`);
    }
  }
  const oldGates = new Map(stored.gates.map((gate) => [gate.id, gate]));
  for (const gate of fresh.assessment.gates) {
    const old = oldGates.get(gate.id);
    if (severity[gate.verdict] > severity[old?.verdict ?? 'pass'])
      changes.push(
        `${gate.title} is now ${gate.verdict} (the plan showed ${old?.verdict ?? 'no such gate'}): ${gate.evidence}`,
      );
  }
  if (stored.window.isOpen && !fresh.assessment.window.isOpen)
    changes.push(`the window closed: ${fresh.assessment.window.reason}`);
  return changes;
}

/** A reviewed plan back as the orchestrator's plan. */
export function storedToPlan(stored: StoredPlan): DeployPlan {
  return {
    environment: stored.environment,
    waves: stored.waves.map((wave) => wave.map((step): PlannedStep => stepFields(step))),
  };
}

async function ciGate(step: PlannedStep, ciStatus: PlannerDependencies['ciStatus']): Promise<StepGate> {
  const title = `CI of v${step.version}`;
  if (!ciStatus)
    return { id: 'ci', title, verdict: 'unknown', evidence: 'No CI provider is configured for this platform.' };
  try {
    const status = await ciStatus(step.service, `v${step.version}`);
    const image = status.image ? ` ${status.image.detail ?? ''}`.trimEnd() : '';
    return { id: 'ci', title, verdict: ciStateVerdict(status), evidence: `${status.detail ?? status.state}${image}` };
  } catch (error) {
    return { id: 'ci', title, verdict: 'unknown', evidence: `CI could not be read: ${(error as Error).message}` };
  }
}

function healthGate(result: { status: string; version?: string; error?: string } | undefined): StepGate {
  const title = 'Health now';
  if (!result) return { id: 'health', title, verdict: 'unknown', evidence: 'not probed' };
  const running = result.version ? ` on v${result.version}` : '';
  if (result.status === 'up') return { id: 'health', title, verdict: 'pass', evidence: `up${running}` };
  return {
    id: 'health',
    title,
    verdict: 'warn',
    evidence: `${result.status}${running}${result.error ? ` (${result.error})` : ''}: the deploy will wait for health`,
  };
}

/** What the plan store keeps of a computed plan: the request, every step with its gates, the window and the marks. */
export function planToStore(
  platformId: string,
  request: PlanRequest,
  computed: ComputedPlan,
  gates: Map<string, StepGate[]>,
): StoredPlanInput {
  return {
    platformId,
    environment: computed.environment.id,
    isProtected: computed.environment.protected,
    request: {
      ...(request.services ? { services: request.services } : {}),
      ...(request.versions ? { versions: request.versions } : {}),
      ...(request.allowBad ? { allowBad: request.allowBad } : {}),
    },
    waves: computed.plan.waves.map((wave) =>
      wave.map((step) => ({
        ...stepFields(step),
        ...(gates.has(step.service) ? { gates: gates.get(step.service) } : {}),
      })),
    ),
    gates: computed.assessment.gates,
    window: computed.assessment.window,
    marks: computed.marks.map((mark) => ({
      service: mark.service,
      version: mark.version,
      markedBy: mark.markedBy.name,
      reason: mark.reason,
      markedAt: mark.markedAt,
    })),
  };
}
