/**
 * What the CLI's platform subcommands share: the platform file, the data folder, the ledger and
 * its mirror (streams, exit codes and option parsing are in `cli-args`, re-exported here).
 */
import { formatMoment } from '../../shared/time-format';
import os from 'node:os';
import path from 'node:path';
import type { LedgerActor } from '../../shared/ledger-record';
import { resolveDataDir } from '../core/data-dir';
import { ManagedRepos, withManagedRepos } from '../core/git/managed-repos';
import { resolveActor } from '../core/ledger/actor';
import { rosterActor } from '../core/identity/authority';
import { createRecordSigner } from '../core/identity/record-signer';
import { currentOsUser } from '../core/policy/roles';
import { Ledger } from '../core/ledger/ledger';
import { syncLedgerMirror } from '../core/ledger/mirror';
import { readSettings } from '../core/settings';
import { loadPlatformFile } from '../core/platform/load';
import { formatProblem } from '../core/platform/problems';
import type { Platform } from '../core/platform/schema';
import type { CliIo } from './cli-args';

export { exitCodes, parseOptions, type CliIo } from './cli-args';

/**
 * Loads a platform file for a command; prints each problem as `file:line:column` when invalid.
 * Services that name only a repo.url get their managed clone's folder (see `managedReposForCli`).
 */
export async function loadPlatformForCli(file: string, io: CliIo): Promise<Platform | undefined> {
  const loaded = await loadPlatformFile(file);
  if (loaded.ok) return withManagedRepos(loaded.platform, cliDataDir(io));
  for (const problem of loaded.problems) io.err(`${formatProblem(problem)}\n`);
  return undefined;
}

/** The data folder the CLI works in (the app's, unless COCKPIT_DATA_DIR says otherwise). */
export function cliDataDir(io: CliIo): string {
  return resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
}

/** The platform's managed clones, for a command that reads or writes history; an outage is said once. */
export function managedReposForCli(platform: Platform, io: CliIo): ManagedRepos {
  return new ManagedRepos({
    platform,
    dataDir: cliDataDir(io),
    onProgress: ({ cloning }) => {
      if (cloning) io.err(`Cloning ${cloning.service} (${cloning.done + 1}/${cloning.total})…\n`);
    },
    onOffline: (message) => io.err(`cockpit: ${message}\n`),
  });
}

/**
 * For `cockpit <command> <environment> --platform <file>`: one positional naming an environment of
 * the loaded platform. Reports usage mistakes and unknown environments; undefined means exit 2.
 */
export async function platformEnvironmentForCli(
  command: string,
  options: { positionals: string[]; values: { platform?: unknown } } | undefined,
  usage: string,
  io: CliIo,
): Promise<{ platform: Platform; environment: string } | undefined> {
  const [environment, ...extra] = options?.positionals ?? [];
  if (!options || !environment || extra.length > 0 || typeof options.values.platform !== 'string') {
    io.err(usage);
    return undefined;
  }
  const platform = await loadPlatformForCli(options.values.platform, io);
  if (!platform) return undefined;
  if (!platform.environments.some((candidate) => candidate.id === environment)) {
    io.err(
      `cockpit ${command}: unknown environment "${environment}"; expected one of ${platform.environments.map((candidate) => candidate.id).join(', ')}.\n`,
    );
    return undefined;
  }
  return { platform, environment };
}

/** The data folder and the platform's ledger, opened as the app opens them, for who runs the command. */
export async function openLedgerForCli(platform: Platform, io: CliIo, actor?: LedgerActor) {
  const dataDir = resolveDataDir({ env: io.env, platform: process.platform, homeDir: os.homedir() });
  const who = rosterActor(platform, actor ?? (await resolveActor()), currentOsUser());
  const settingsKey = (await readSettings(dataDir)).signingKey;
  const ledger = new Ledger({
    folder: path.join(dataDir, 'ledger', platform.id),
    platformId: platform.id,
    actor: who,
    signer: createRecordSigner({ platform, actor: who, settingsKey }),
  });
  return { dataDir, ledger, actor: who, settingsKey };
}

/** `a=1.2.3,b=v2.0.0` → service → version (without the v); undefined when a pair is malformed. */
export function parseServiceVersions(text: string | undefined): Record<string, string> | undefined {
  if (!text) return {};
  const pairs = text.split(',').map((pair) => pair.trim().split('='));
  const version = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
  if (pairs.some((pair) => pair.length !== 2 || !/^[a-z][a-z0-9-]*$/.test(pair[0]!) || !version.test(pair[1]!)))
    return undefined;
  return Object.fromEntries(pairs.map(([service, value]) => [service!, value!.replace(/^v/, '')]));
}

/**
 * Merges the ledger with the team's mirror, if the platform names one, before a command reads
 * the team's state or after it wrote some; a mirror out of reach is said once, never fatal.
 */
export async function syncForCli(platform: Platform, ledger: Ledger, dataDir: string, io: CliIo): Promise<void> {
  const mirror = platform.ledger.mirror;
  if (!mirror) return;
  try {
    await syncLedgerMirror(
      ledger,
      { repo: mirror.repo, branch: mirror.branch, file: mirror.file ?? `${platform.id}.jsonl` },
      path.join(dataDir, 'ledger', platform.id, 'mirror'),
    );
  } catch (error) {
    io.err(
      `cockpit: the team's mirror could not be synced (${(error as Error).message.split('\n')[0]}); working from this laptop's ledger, its records are shared at the next sync.\n`,
    );
  }
}

/**
 * A moment as every view shows it (the shared formatter): the platform's clock and the reader's,
 * labelled, and how far it is from `now` ("16:00 Paris · 15:00 local · in 30 min").
 */
export function cliMoment(iso: string, platform: Platform, now: Date = new Date()): string {
  return formatMoment(iso, { platformZone: platform.policy.timeZone, now: now.getTime(), locale: 'en-GB' });
}
