/**
 * `cockpit gates <environment> --platform <file> [--json]`: every gate a deploy to the environment
 * would meet now — health, and for each service whose version would change, CI, coverage, audit,
 * performance; the secrets in the vault — each with its evidence. Exit 1 when any blocks.
 */
import os from 'node:os';
import { resolveDataDir } from '../core/data-dir';
import { defaultTargets, runningVersions } from '../core/deploy/targets';
import { HealthProber } from '../core/health/prober';
import { openVault } from '../core/credentials/open-vault';
import { Redactor } from '../core/logs/redactor';
import { policyForCli } from './cli-gates';
import { exitCodes, parseOptions, platformEnvironmentForCli, type CliIo } from './cli-io';

const usage = 'Usage: cockpit gates <environment> --platform <file> [--json]\n';
const marks = { pass: 'PASS', warn: 'WARN', block: 'BLOCK', unknown: 'UNKNOWN' } as const;

export async function runGates(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions({ options: { platform: { type: 'string' }, json: { type: 'boolean' } } }, args, io);
  const target = await platformEnvironmentForCli('gates', options, usage, io);
  if (!options || !target) return exitCodes.usage;
  const { platform, environment } = target;
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  const prober = new HealthProber({ timeoutMs: 2_000 });
  try {
    const vault = await openVault({ platform, dataDir, redactor: new Redactor() });
    const targets = await defaultTargets(platform, environment, prober);
    const running = await runningVersions(platform, environment, prober, Object.keys(targets));
    const versions = Object.fromEntries(
      Object.entries(targets).filter(([service, version]) => running[service] !== version),
    );
    // The same list a plan shows: the sign-off gate joins the others for a protected environment.
    const { policy } = await policyForCli(platform, io, prober, vault);
    const { gates } = await policy.assess(environment, versions);
    if (options.values.json) io.out(`${JSON.stringify({ gates }, null, 2)}\n`);
    else {
      io.out(`Gates for a deploy to ${environment} (${Object.keys(versions).length} services would change):\n`);
      for (const gate of gates) io.out(`  ${marks[gate.verdict].padEnd(7)} ${gate.title} — ${gate.evidence}\n`);
    }
    return gates.some((gate) => gate.verdict === 'block') ? exitCodes.failed : exitCodes.ok;
  } finally {
    await prober.close();
  }
}
