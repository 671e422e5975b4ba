/**
 * `cockpit rollback <service> --env <env> --level 1 --platform <file> [--to <version>] [--yes]`:
 * walks the same step machine as the wizard, printing each step, what it touches, its output and
 * its check against the level's target time. Without --yes it asks before changing anything.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { resolveDataDir } from '../core/data-dir';
import { createProviderFactory } from '../core/deploy/provider-factory';
import { HealthProber } from '../core/health/prober';
import { resolveActor } from '../core/ledger/actor';
import { AuditTrail } from '../core/ledger/audit-trail';
import { Ledger } from '../core/ledger/ledger';
import { levelOneSteps, levelOneTargetMinutes, type LevelOneContext } from '../core/rollback/level-one';
import { walk } from '../core/rollback/step-machine';
import { exitCodes, loadPlatformForCli, parseOptions, type CliIo } from './cli-io';

const usage = `Usage: cockpit rollback <service> --env <environment> --level 1 --platform <file> [--to <version>] [--yes]
Level 1 redeploys the previous stable version (from the ledger, or --to) and verifies it.
`;

export async function runRollback(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(
    {
      options: {
        env: { type: 'string' },
        level: { type: 'string' },
        platform: { type: 'string' },
        to: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
      },
    },
    args,
    io,
  );
  const [service, ...extra] = options?.positionals ?? [];
  if (!options || !service || extra.length > 0 || !options.values.platform || !options.values.env) {
    io.err(usage);
    return exitCodes.usage;
  }
  if (options.values.level !== '1') {
    io.err(
      `cockpit rollback: level ${options.values.level ?? '(none)'} is not available from the command line yet; use --level 1.\n`,
    );
    return exitCodes.usage;
  }
  if (options.values.to !== undefined && !/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(options.values.to)) {
    io.err(`cockpit rollback: --to "${options.values.to}" is not a version such as 2.0.1.\n`);
    return exitCodes.usage;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return exitCodes.usage;
  const environment = options.values.env;
  const config = platform.services.find((candidate) => candidate.id === service)?.environments[environment];
  if (!config) {
    io.err(`cockpit rollback: ${platform.name} has no service "${service}" in an environment "${environment}".\n`);
    return exitCodes.usage;
  }
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', platform.id),
    platformId: platform.id,
    actor: await resolveActor(),
  });
  const audit = new AuditTrail(ledger, () => undefined);
  const prober = new HealthProber({ timeoutMs: 2_000 });
  const context: LevelOneContext = {
    platform,
    service,
    environment,
    prober,
    records: await ledger.readAll(),
    dataDir,
    audit,
    providers: createProviderFactory(),
    target: options.values.to?.replace(/^v/, ''),
    runId: `rollback-${new Date()
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`,
  };
  const began = Date.now();
  const steps = levelOneSteps();
  const announced = new Set<string>();
  const reported = new Set<string>();
  io.out(`Level 1 rollback of ${service} in ${environment} (target: under ${levelOneTargetMinutes} min).\n`);
  try {
    const result = await walk({
      level: 1,
      service,
      environment,
      steps,
      context,
      audit,
      correlationId: context.runId,
      log: (text) => {
        for (const line of text.split('\n')) if (line) io.out(`    ${line}\n`);
      },
      onProgress: (progress) => {
        for (const step of progress) {
          if (step.state === 'running' && !announced.has(step.id)) {
            announced.add(step.id);
            const definition = steps.find((candidate) => candidate.id === step.id)!;
            io.out(`→ ${step.title}: ${definition.touches}${definition.needsNetwork ? ' (needs the network)' : ''}\n`);
          }
          if ((step.state === 'succeeded' || step.state === 'failed') && !reported.has(step.id)) {
            reported.add(step.id);
            io.out(
              `  ${step.state === 'succeeded' ? '✓' : '✗'} ${step.detail} (${Math.round((step.elapsedMs ?? 0) / 1000)} s)\n`,
            );
          }
        }
      },
      // The command is the confirmation with --yes; otherwise ask before changing anything.
      confirm: async (step) =>
        options.values.yes === true ||
        (await confirmRollback(
          `${step.title}: ${service} in ${environment} v${context.running ?? '?'} → v${context.target}?`,
        )),
    });
    const minutes = ((Date.now() - began) / 60_000).toFixed(1);
    if (result.status === 'succeeded') {
      io.out(`Rolled back ${service} in ${environment} to v${context.target} in ${minutes} min.\n`);
      return exitCodes.ok;
    }
    io.out(`Rollback ${result.status} after ${minutes} min. Left to do: ${result.leftToDo.join(' ')}\n`);
    return exitCodes.failed;
  } finally {
    await prober.close();
  }
}

async function confirmRollback(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}
