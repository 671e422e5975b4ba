/**
 * `cockpit deploy <environment> --platform <file>`: the app's deploy engine from a terminal. It
 * plans (staging gets each service's latest tag, production what staging runs, never a version
 * marked bad), shows the plan, and starts exactly that plan — or one planned earlier, here or in
 * the app (`--plan <id>`) — streaming each service's logs with a prefix; exit 1 if a step failed.
 * Also `cockpit deploy history <environment>` and `cockpit deploy log <run-id>`.
 */
import os from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { DeployHistory, DeployPlanView } from '../../shared/contract';
import { openVault } from '../core/credentials/open-vault';
import { resolveDataDir } from '../core/data-dir';

import { requireConfirmation, type PlanRequest } from '../core/deploy/deploy-planner';
import { DeployService } from '../core/deploy/deploy-service';
import { CockpitError } from '../core/errors';
import { EventBus } from '../core/event-bus';
import { HealthProber } from '../core/health/prober';
import { Redactor } from '../core/logs/redactor';
import type { Platform } from '../core/platform/schema';
import { formatDuration, formatMoment } from '../../shared/time-format';
import { teamLocksFor } from '../core/team/team-lock';
import { ciStatusForCli, policyForCli } from './cli-gates';
import { exitCodes, loadPlatformForCli, parseOptions, parseServiceVersions, syncForCli, type CliIo } from './cli-io';

const usage = `Usage:
  cockpit deploy <environment> --platform <file> [--services a,b] [--versions a=1.2.3,b=2.0.0]
                 [--plan-only [--json]] [--plan <planId>] [--confirm <environment>] [--allow-bad "<reason>"]
                 [--without-team-lock "<reason>"] [--parallel N] [--yes]
  cockpit deploy <environment> --platform <file> --resume latest|<journal file> [--allow-downgrade "<reason>"] [--yes]
  cockpit deploy history <environment> --platform <file> [--json]
  cockpit deploy log <run-id> --platform <file>

Staging gets each service's latest tag; a protected environment gets what the non-protected one
runs; a version marked bad is never proposed (the service stays where it is, and the plan says why).
--plan-only     prints the plan (with its id, gates, window and marks) and triggers nothing; exit 1
                only when a target cannot be planned.
--plan <id>     starts exactly that plan, or refuses (exit 1) saying what changed since it was made;
                plans expire after 15 minutes.
--confirm <env> needed to deploy to a protected environment (exit 2 without it, nothing triggered).
--allow-bad     deploys an explicitly named version marked bad anyway, for this reason (recorded).
--without-team-lock  with the team's mirror (ledger.mirror) out of reach, deploys a protected
                environment without the team's lock, for this reason (signed, shared later).
                While another laptop holds the lock, a deploy is refused naming the holder.
--parallel N    steps at a time (1 or more; 3 by default).
`;

const optionConfig = {
  options: {
    platform: { type: 'string' },
    services: { type: 'string' },
    versions: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    resume: { type: 'string' },
    parallel: { type: 'string' },
    'plan-only': { type: 'boolean' },
    plan: { type: 'string' },
    json: { type: 'boolean' },
    confirm: { type: 'string' },
    'allow-bad': { type: 'string' },
    'allow-downgrade': { type: 'string' },
    'without-team-lock': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

export async function runDeployCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(optionConfig, args, io);
  if (options?.values.help) {
    io.out(usage);
    return exitCodes.ok;
  }
  const [first, second, ...extra] = options?.positionals ?? [];
  if (!options || !first || extra.length > 0 || typeof options.values.platform !== 'string') return usageError(io);
  const isHistory = first === 'history' || first === 'log';
  if ((isHistory && !second) || (!isHistory && second)) return usageError(io);
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const values = options.values;

  if (!isHistory) {
    const environment = platform.environments.find((candidate) => candidate.id === first);
    if (!environment) {
      io.err(
        `cockpit deploy: unknown environment "${first}"; expected one of ${platform.environments.map((candidate) => candidate.id).join(', ')}.\n`,
      );
      return exitCodes.usage;
    }
    // Usage first: nothing is looked at (windows, gates) before the command is complete.
    if (environment.protected && !values['plan-only']) {
      try {
        requireConfirmation(environment, values.confirm);
      } catch (error) {
        io.err(`cockpit deploy: ${(error as Error).message.replace('type ', 'add --confirm ')}\n`);
        return exitCodes.usage;
      }
    }
    if (values.parallel !== undefined && !/^[1-9]\d{0,2}$/.test(values.parallel)) {
      io.err(`cockpit deploy: --parallel expects a whole number of 1 or more, not "${values.parallel}".\n`);
      return exitCodes.usage;
    }
  }
  const versions = parseServiceVersions(values.versions);
  if (versions === undefined) {
    io.err('cockpit deploy: --versions expects service=1.2.3 pairs separated by commas.\n');
    return exitCodes.usage;
  }

  const desk = await openDesk(platform, io, values.parallel ? Number(values.parallel) : undefined);
  try {
    if (first === 'history') return printHistory(await desk.deploys.history(second!), values.json === true, io);
    if (first === 'log') {
      const log = await desk.deploys.readLog(second!);
      if (log.isTruncated) io.err(`(the log is longer than 5 MB: its end is shown; the whole file is ${log.file})\n`);
      io.out(log.text);
      return exitCodes.ok;
    }
    const environment = first;
    // The team's holds, approvals and sign-offs before a protected deploy.
    if (platform.environments.some((candidate) => candidate.id === environment && candidate.protected))
      await desk.syncTeam();
    if (values.resume) return await resume(desk, values.resume, values['allow-downgrade'], io);
    let plan: DeployPlanView;
    if (values.plan) {
      plan = await desk.deploys
        .start({
          planId: values.plan,
          confirmation: values.confirm,
          ...(values['without-team-lock'] ? { withoutTeamLock: values['without-team-lock'] } : {}),
        })
        .then((started) => {
          desk.follow(started.runId);
          return started.plan;
        });
      io.out(formatPlan(plan));
      return await desk.finished();
    }
    const request: PlanRequest = {
      environment,
      ...(values.services
        ? {
            services: values.services
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean),
          }
        : {}),
      ...(Object.keys(versions).length > 0 ? { versions } : {}),
      ...(values['allow-bad'] ? { allowBad: values['allow-bad'] } : {}),
    };
    plan = await desk.deploys.plan(request);
    if (values['plan-only']) {
      io.out(values.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : formatPlan(plan));
      return exitCodes.ok;
    }
    io.out(formatPlan(plan));
    if (!values.yes && !(await confirm(`Deploy to ${environment}?`))) {
      io.err('Not deployed. Add --yes to deploy without asking.\n');
      return exitCodes.usage;
    }
    const started = await desk.deploys.start({
      planId: plan.planId,
      confirmation: values.confirm,
      ...(values['without-team-lock'] ? { withoutTeamLock: values['without-team-lock'] } : {}),
    });
    desk.follow(started.runId);
    return await desk.finished();
  } catch (error) {
    const message = error instanceof CockpitError ? error.message : (error as Error).message;
    io.err(`cockpit deploy: ${desk.redactor.redact(message)}\n`);
    return exitCodes.failed;
  } finally {
    await desk.close();
  }
}

/** The deploy engine as the app builds it, printing to the terminal instead of the renderer. */
async function openDesk(platform: Platform, io: CliIo, parallelism: number | undefined) {
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  const prober = new HealthProber({ timeoutMs: 2_000 });
  // One vault for provider tokens and the secrets gate; it also teaches the redactor its secrets.
  const redactor = new Redactor();
  const vault = await openVault({ platform, dataDir, redactor });
  const { policy, audit, clock } = await policyForCli(platform, io, prober, vault);
  const events = new EventBus();
  const deploys = new DeployService({
    platform,
    dataDir,
    prober,
    events,
    redactor,
    audit,
    clock,
    readCredential: (id) => vault.read(id),
    ciStatus: ciStatusForCli(platform, dataDir, vault),
    authorize: (environment, versions) => policy.authorizeDeploy(environment, versions),
    assess: (environment, versions) => policy.assess(environment, versions),
    parallelism,
    hasFlowControl: false,
    teamLocks: teamLocksFor(platform, dataDir),
  });
  let followed: string | undefined;
  let outcome: Promise<number> | undefined;
  const midLine = new Set<string>();
  return {
    deploys,
    redactor,
    syncTeam: () => syncForCli(platform, audit.ledger, dataDir, io),
    /** Prints the run's logs and final step states as they come. */
    follow(runId: string) {
      followed = runId;
      outcome = new Promise<number>((resolve) => {
        events.subscribe((channel, payload) => {
          const event = payload as { runId?: string };
          if (event.runId !== followed) return;
          if (channel === 'deploy:log') {
            for (const chunk of (payload as { chunks: { service: string; text: string }[] }).chunks) {
              const prefixed = chunk.text.replace(/^(?=.)/gm, `[${chunk.service}] `);
              io.out(midLine.has(chunk.service) ? prefixed.replace(`[${chunk.service}] `, '') : prefixed);
              if (chunk.text.endsWith('\n')) midLine.delete(chunk.service);
              else midLine.add(chunk.service);
            }
          } else if (channel === 'deploy:step-changed') {
            const step = (payload as { step: { service: string; status: string; detail: string } }).step;
            if (['succeeded', 'failed', 'skipped', 'not-started'].includes(step.status))
              io.out(`• ${step.service}: ${step.status} — ${step.detail}\n`);
          } else if (channel === 'deploy:finished') {
            const finished = payload as { status: string; detail: string };
            io.out(`${finished.detail} Journal: ${deploys.journalFile(runId)}\n`);
            resolve(finished.status === 'succeeded' ? exitCodes.ok : exitCodes.failed);
          }
        });
      });
      process.once('SIGINT', () => {
        io.err('\nCancelling: running steps finish, nothing new starts.\n');
        deploys.cancel(runId);
      });
    },
    finished: () => outcome ?? Promise.resolve(exitCodes.failed),
    async close() {
      await prober.close();
    },
  };
}

async function resume(
  desk: Awaited<ReturnType<typeof openDesk>>,
  which: string,
  allowDowngrade: string | undefined,
  io: CliIo,
): Promise<number> {
  let runId: string | undefined;
  if (which === 'latest') {
    const latest = await desk.deploys.latestInterrupted();
    if (!latest.runId) {
      io.err(`cockpit deploy: ${latest.why}.\n`);
      return exitCodes.failed;
    }
    runId = latest.runId;
  } else runId = which.replace(/^.*[\\/]/, '').replace(/\.jsonl$/, '');
  const started = await desk.deploys.resume(runId, allowDowngrade);
  io.out(`Resuming run ${runId}.\n`);
  desk.follow(started.runId);
  return desk.finished();
}

/** The `--plan-only --json` shape scripts read. */
function planJson(plan: DeployPlanView) {
  return {
    planId: plan.planId,
    createdAt: plan.createdAt,
    expiresAt: plan.expiresAt,
    environment: plan.environment,
    isProtected: plan.isProtected,
    waves: plan.waves.map((wave) =>
      wave.map(({ service, version, runningVersion, action, reason, dependsOn }) => ({
        service,
        version,
        runningVersion: runningVersion ?? null,
        action,
        reason,
        dependsOn,
      })),
    ),
    gates: plan.gates.map(({ id, title, verdict, evidence }) => ({ id, title, verdict, evidence })),
    window: {
      isOpen: plan.window.isOpen,
      reason: plan.window.reason,
      exception: plan.window.exception ?? null,
      nextOpensAt: plan.window.nextOpensAt ?? null,
    },
    marks: plan.marks,
  };
}

function formatPlan(plan: DeployPlanView): string {
  const lines = [`Plan for ${plan.environment}:`];
  plan.waves.forEach((wave, index) => {
    lines.push(
      `  wave ${index + 1}: ${wave.map((step) => `${step.service} ${step.action === 'skip' ? `(skip: ${step.reason})` : step.reason}`).join('; ')}`,
    );
  });
  if (plan.gates.length > 0) {
    lines.push('Gates:');
    for (const gate of plan.gates)
      lines.push(`  ${gate.verdict.toUpperCase().padEnd(7)} ${gate.title} — ${gate.evidence}`);
  }
  lines.push(
    `Window: ${plan.window.isOpen ? 'open' : 'closed'} — ${plan.window.exception ?? plan.window.reason}${!plan.window.isOpen && plan.window.nextOpensAt ? ` (next opens ${plan.window.nextOpensAt})` : ''}`,
  );
  for (const mark of plan.marks)
    lines.push(`Marked bad: ${mark.service} v${mark.version} by ${mark.markedBy} — ${mark.reason}`);
  lines.push(`Plan ${plan.planId} (valid until ${formatMoment(plan.expiresAt, { locale: 'en-GB' })}).`);
  return `${lines.join('\n')}\n`;
}

function printHistory(history: DeployHistory, asJson: boolean, io: CliIo): number {
  if (asJson) {
    io.out(`${JSON.stringify(history, null, 2)}\n`);
    return exitCodes.ok;
  }
  if (history.runs.length === 0) io.out(`No deploy to ${history.environment} is in the ledger yet.\n`);
  for (const run of history.runs) {
    const took = run.durationMs === undefined ? '' : ` in ${formatDuration(run.durationMs)}`;
    io.out(
      `${run.runId}  ${run.status}${took}  by ${run.actor.name}  ${formatMoment(run.startedAt, { locale: 'en-GB' })}\n`,
    );
    for (const step of run.steps)
      io.out(`    ${step.service}: ${step.from ? `v${step.from}` : 'v?'} → v${step.to} ${step.status}\n`);
  }
  return exitCodes.ok;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

function usageError(io: CliIo): number {
  io.err(usage);
  return exitCodes.usage;
}
