/**
 * `cockpit deploy <environment> --platform <file>`: plans the deploy (staging gets each service's
 * latest tag, production what staging runs), shows the plan, runs it with the same orchestrator
 * as the app, streaming each service's logs with a prefix, and exits 1 if a step failed.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { resolveDataDir } from '../core/data-dir';
import { DeployJournal, interruptedRuns } from '../core/deploy/journal';
import { runDeploy } from '../core/deploy/orchestrator';
import { planDeploy, type DeployPlan } from '../core/deploy/plan';
import { CockpitError } from '../core/errors';
import { defaultTargets, runningVersions } from '../core/deploy/targets';
import { HealthProber } from '../core/health/prober';
import { currentOsUser, PolicyService } from '../core/policy/policy-service';
import { SignoffBook } from '../core/policy/signoffs';
import { openVault } from '../core/credentials/open-vault';
import { createProviderFactory } from '../core/deploy/provider-factory';
import { LogBus } from '../core/logs/log-bus';
import { Redactor } from '../core/logs/redactor';
import { resolveActor } from '../core/ledger/actor';
import { AuditTrail } from '../core/ledger/audit-trail';
import { Ledger } from '../core/ledger/ledger';
import { gateEvaluatorForCli } from './cli-gates';
import { exitCodes, parseOptions, platformEnvironmentForCli, type CliIo } from './cli-io';

const usage = `Usage: cockpit deploy <environment> --platform <file> [--services a,b] [--versions a=1.2.3,b=2.0.0] [--yes] [--resume <journal file>]
Staging gets each service's latest tag; a protected environment gets what the non-protected one runs.
`;

export async function runDeployCommand(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    {
      options: {
        platform: { type: 'string' },
        services: { type: 'string' },
        versions: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        resume: { type: 'string' },
        parallel: { type: 'string' },
      },
    },
    args,
    io,
  );
  const target = await platformEnvironmentForCli('deploy', options, usage, io);
  if (!options || !target) return exitCodes.usage;
  const { platform, environment } = target;
  const versions = parseVersions(options.values.versions);
  if (versions === undefined) {
    io.err('cockpit deploy: --versions expects service=1.2.3 pairs separated by commas.\n');
    return exitCodes.usage;
  }
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  const prober = new HealthProber({ timeoutMs: 2_000 });
  try {
    const journalFolder = DeployJournal.folder(dataDir, platform.id);
    const actor = await resolveActor();
    const ledger = new Ledger({ folder: path.join(dataDir, 'ledger', platform.id), platformId: platform.id, actor });
    const audit = new AuditTrail(ledger, () => undefined);
    const identity = { name: actor.name, email: actor.email, osUser: currentOsUser() };
    const clock = () => new Date();
    // One vault for provider tokens and the secrets gate; it also teaches the redactor its secrets.
    const redactor = new Redactor();
    const vault = await openVault({ platform, dataDir, redactor });
    const policy = new PolicyService({
      platform,
      audit,
      identity,
      clock,
      signoffs: new SignoffBook({ platform, dataDir, audit, identity, clock }),
      evaluateGates: gateEvaluatorForCli(platform, dataDir, prober, vault),
    });
    let plan: DeployPlan;
    let journal: DeployJournal;
    let runId: string;
    if (options.values.resume) {
      const file =
        options.values.resume === 'latest'
          ? (await interruptedRuns(journalFolder)).sort().at(-1)
          : options.values.resume;
      if (!file) {
        io.err('cockpit deploy: there is no interrupted run to resume.\n');
        return exitCodes.failed;
      }
      journal = new DeployJournal(file);
      const started = (await journal.read()).find((entry) => entry.kind === 'run-started');
      if (started?.kind !== 'run-started') {
        io.err(`cockpit deploy: ${file} is not a deploy journal.\n`);
        return exitCodes.usage;
      }
      runId = started.runId;
      plan = {
        environment: started.environment,
        waves: started.waves.map((wave) =>
          wave.map((step) => ({
            service: step.service,
            version: step.version,
            action: step.action as 'deploy' | 'skip',
            reason: 'resumed',
          })),
        ),
      };
      io.out(`Resuming run ${runId} (${file}).\n`);
    } else {
      const selected = options.values.services
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const targets = await defaultTargets(platform, environment, prober, selected);
      Object.assign(targets, versions);
      const running = await runningVersions(platform, environment, prober, Object.keys(targets));
      plan = planDeploy({ platform, environment, targets, running });
      io.out(formatPlan(plan));
      // A protected environment needs the role, an open window (or a hotfix exception) and no blocking gate.
      await policy.authorizeDeploy(
        environment,
        Object.fromEntries(
          plan.waves.flat().flatMap((step) => (step.action === 'deploy' ? [[step.service, step.version]] : [])),
        ),
      );
      if (!options.values.yes && !(await confirm(io, `Deploy to ${environment}?`))) {
        io.err('Not deployed. Add --yes to deploy without asking.\n');
        return exitCodes.usage;
      }
      runId = `${new Date()
        .toISOString()
        .replaceAll(':', '-')
        .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
      journal = new DeployJournal(path.join(journalFolder, `${runId}.jsonl`));
    }
    const midLine = new Set<string>();
    const logBus = new LogBus({
      redactor,
      folder: journalFolder,
      emit: (_runId, chunks) => {
        for (const chunk of chunks) {
          const prefixed = chunk.text.replace(/^(?=.)/gm, `[${chunk.service}] `);
          io.out(midLine.has(chunk.service) ? prefixed.replace(`[${chunk.service}] `, '') : prefixed);
          if (chunk.text.endsWith('\n')) midLine.delete(chunk.service);
          else midLine.add(chunk.service);
        }
      },
    });
    const controller = new AbortController();
    process.once('SIGINT', () => {
      io.err('\nCancelling: running steps finish, nothing new starts.\n');
      controller.abort();
    });
    const result = await runDeploy({
      platform,
      plan,
      runId,
      journal,
      lockFolder: path.join(dataDir, 'locks'),
      prober,
      audit: new AuditTrail(ledger, () => undefined),
      log: (service, text) => logBus.push(runId, service, text),
      providers: createProviderFactory({ readCredential: (id) => vault.read(id) }),
      onStepChanged: (step) => {
        if (['succeeded', 'failed', 'skipped', 'not-started'].includes(step.status))
          io.out(`• ${step.service}: ${step.status} — ${step.detail}\n`);
      },
      parallelism: options.values.parallel ? Number(options.values.parallel) : 3,
      signal: controller.signal,
      resume: Boolean(options.values.resume),
    });
    await logBus.close(runId);
    io.out(`Deploy to ${plan.environment} ${result.status}. Journal: ${journal.file}\n`);
    return result.status === 'succeeded' ? exitCodes.ok : exitCodes.failed;
  } catch (error) {
    io.err(`cockpit deploy: ${error instanceof CockpitError ? error.message : (error as Error).message}\n`);
    return exitCodes.failed;
  } finally {
    await prober.close();
  }
}

function parseVersions(text: string | undefined): Record<string, string> | undefined {
  if (!text) return {};
  const pairs = text.split(',').map((pair) => pair.trim().split('='));
  if (pairs.some((pair) => pair.length !== 2 || !/^v?\d+\.\d+\.\d+/.test(pair[1]!))) return undefined;
  return Object.fromEntries(pairs.map(([service, version]) => [service!, version!.replace(/^v/, '')]));
}

function formatPlan(plan: DeployPlan): string {
  const lines = [`Plan for ${plan.environment}:`];
  plan.waves.forEach((wave, index) => {
    lines.push(
      `  wave ${index + 1}: ${wave.map((step) => `${step.service} ${step.action === 'skip' ? `(skip: ${step.reason})` : step.reason}`).join('; ')}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
    void io;
  }
}
