/**
 * The one way the product runs git: simple-git, hardened so that a repository's own config can
 * never run a program, while the user's global and system config (credential helpers,
 * `core.sshCommand`, commit and tag signing) stay in force.
 *
 * - Every call overrides what the cockpit never needs from any config: hooks, the fsmonitor, the
 *   signing programs (back to git's defaults), attribute filters, diff and merge drivers; diffs
 *   never run external diff or textconv programs.
 * - Before a repository is first used (and again whenever its config files change), a repository
 *   whose own config — or a file it includes — sets a program-running key is refused with
 *   REPO_UNSAFE, naming the key and how to remove it.
 * - No prompts, only the file, https and ssh transports, a clean `GIT_*` environment; values that
 *   come from input go through `gitValue` so they never land in an option position.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGitOptions } from 'simple-git';
import { CockpitError } from '../errors';

export interface GitOptions {
  /** The repository (or any folder) git runs in; the process's folder by default. */
  cwd?: string;
  /** Written to git's standard input (a fast-import stream, a tag message). */
  input?: string;
  /** Extra environment for this call (only names git itself does not read as config). */
  env?: Record<string, string>;
  /** Ends the call (the child is killed) when this aborts. */
  signal?: AbortSignal;
  /**
   * The call's deadline: past it the child is killed and the call fails with GIT_FAILED saying
   * so (calls to a remote must never hang on a network that does not answer).
   */
  deadlineMs?: number;
}

/**
 * A call with a deadline talks to a remote: it also has a connect deadline (this, or the whole
 * deadline when shorter). Over ssh: `ConnectTimeout` (the TCP connection and the handshake) and
 * `BatchMode` (a missing key is an error, never a passphrase prompt), unless the user's own config
 * names an ssh command; over https: a transfer slower than 1 KB/s for that long is given up.
 */
export const connectDeadlineSeconds = 10;

/** One entry of `git config --list`: where it was set and what. */
export interface ConfigEntry {
  scope: string;
  origin: string;
  key: string;
  value: string;
}

/** Keys that make git run a program; a repository's own config may not set them. */
const programKeys: { pattern: RegExp; what: string }[] = [
  { pattern: /^credential\./, what: 'a credential setting (helpers run programs)' },
  { pattern: /^core\.(sshcommand|askpass|gitproxy|pager|editor|alternaterefscommand)$/, what: 'a program to run' },
  { pattern: /^sequence\.editor$/, what: 'an editor program' },
  { pattern: /\.program$/, what: 'a program to run' },
  { pattern: /^gpg\.ssh\.defaultkeycommand$/, what: 'a program to run' },
  { pattern: /^filter\..+\.(clean|smudge|process)$/, what: 'an attribute filter program' },
  { pattern: /^merge\..+\.driver$/, what: 'a merge driver program' },
  { pattern: /^diff\..+\.(command|textconv)$/, what: 'a diff driver program' },
  { pattern: /^diff\.external$/, what: 'an external diff program' },
  { pattern: /^remote\..+\.(uploadpack|receivepack|vcs)$/, what: 'a transport program' },
  { pattern: /^uploadpack\.packobjectshook$/, what: 'a transport program' },
];

/** Overridden on every call, whatever any config says. */
const fixedOverrides = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'gpg.program=gpg',
  'gpg.ssh.program=ssh-keygen',
  'gpg.x509.program=gpgsm',
];

/** The subcommands that can show a diff: they never run an external diff or textconv program. */
const diffCommands = new Set(['diff', 'show', 'log', 'format-patch', 'diff-tree', 'whatchanged', 'range-diff']);

/** What simple-git must allow for the overrides above; its other guards stay on. */
const unsafeOptIns: SimpleGitOptions['unsafe'] = {
  allowUnsafeHooksPath: true,
  allowUnsafeFsMonitor: true,
  allowUnsafeGpgProgram: true,
  allowUnsafeFilter: true,
  allowUnsafeMergeDriver: true,
  allowUnsafeDiffTextConv: true,
  allowUnsafeDiffExternal: true,
};

/** The user's own git environment that stays in force; every other `GIT_*` variable is dropped. */
const passedEnvironment = [
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
];
const setEnvironment = { GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: 'file:https:ssh', LC_ALL: 'C' };
/** Variables that name programs or redirect git, stripped from what the child inherits. */
const droppedVariables = /^(GIT_|EDITOR$|VISUAL$|PAGER$|LESSOPEN$|LESSCLOSE$)/;

interface CheckedFolder {
  fingerprint: string;
  files: string[];
  overrides: string[];
  /** The user's own config sets `core.sshCommand` (theirs wins over ours). */
  hasSshCommand: boolean;
}
const checkedFolders = new Map<string, CheckedFolder>();
/** Listings under way: calls that come meanwhile wait for the same one (a refresh starts several at once). */
const folderChecks = new Map<string, Promise<CheckedFolder>>();

/** Runs `git <args>` hardened and resolves with its standard output; rejects with GIT_FAILED. */
export async function runGit(args: string[], options: GitOptions = {}): Promise<string> {
  const folder = path.resolve(options.cwd ?? process.cwd());
  const { overrides, hasSshCommand } = await checkFolder(folder);
  return execute(folder, withDiffSafety(args), [...overrides, ...remoteOverrides(options, hasSshCommand)], options);
}

function remoteOverrides(options: GitOptions, hasSshCommand: boolean): string[] {
  if (options.deadlineMs === undefined) return [];
  const seconds = Math.max(1, Math.min(connectDeadlineSeconds, Math.ceil(options.deadlineMs / 1000)));
  return [
    'http.lowSpeedLimit=1000',
    `http.lowSpeedTime=${seconds}`,
    ...(hasSshCommand ? [] : [`core.sshCommand=ssh -o ConnectTimeout=${seconds} -o BatchMode=yes`]),
  ];
}

/**
 * A value from input (a branch, a tag, a commit, a URL) checked before it goes into git's
 * arguments: never an option, never a NUL or a line break.
 */
export function gitValue(value: string, what: string): string {
  if (value.length === 0 || value.startsWith('-') || /[\0\r\n]/.test(value)) {
    throw new CockpitError(
      'BAD_INPUT',
      `${what} ${JSON.stringify(value.slice(0, 80))} cannot be given to git: it is empty, starts with "-" or holds a control character.`,
    );
  }
  return value;
}

/** The problems of a repository's own config: program-running keys it (or an include) sets. */
export function unsafeLocalKeys(entries: ConfigEntry[]): (ConfigEntry & { what: string })[] {
  return entries
    .filter((entry) => entry.scope === 'local' || entry.scope === 'worktree')
    .flatMap((entry) => {
      const match = programKeys.find((candidate) => candidate.pattern.test(entry.key));
      return match ? [{ ...entry, what: match.what }] : [];
    });
}

/** Every `-c` override for a folder whose config says `entries`: the fixed ones and each named driver. */
export function overridesFor(entries: ConfigEntry[]): string[] {
  const overrides = new Set(fixedOverrides);
  for (const { key } of entries) {
    const filter = /^filter\.(.+)\.(clean|smudge|process|required)$/.exec(key);
    if (filter) {
      for (const part of ['clean', 'smudge', 'process']) overrides.add(`filter.${filter[1]}.${part}=`);
      overrides.add(`filter.${filter[1]}.required=false`);
    }
    const merge = /^merge\.(.+)\.driver$/.exec(key);
    if (merge) overrides.add(`merge.${merge[1]}.driver=`);
    const diff = /^diff\.(.+)\.(command|textconv)$/.exec(key);
    if (diff) overrides.add(`diff.${diff[1]}.${diff[2]}=`);
  }
  return [...overrides];
}

/** Lists a folder's config once per change of its files, refusing an unsafe repository. */
function checkFolder(folder: string): Promise<CheckedFolder> {
  const known = checkedFolders.get(folder);
  if (known && fingerprintOf(folder, known.files) === known.fingerprint) return Promise.resolve(known);
  let check = folderChecks.get(folder);
  if (!check) {
    check = listAndCheck(folder).finally(() => folderChecks.delete(folder));
    folderChecks.set(folder, check);
  }
  return check;
}

async function listAndCheck(folder: string): Promise<CheckedFolder> {
  const entries = parseConfigListing(
    await execute(
      folder,
      ['config', '--list', '--show-scope', '--show-origin', '--includes', '-z'],
      fixedOverrides,
      {},
    ),
  );
  const unsafe = unsafeLocalKeys(entries);
  if (unsafe.length > 0) {
    const first = unsafe[0]!;
    const file = first.origin.replace(/^file:/, '');
    throw new CockpitError(
      'REPO_UNSAFE',
      `The repository at ${folder} sets ${first.key} in ${file} (${first.what}); the cockpit never lets a repository's own config run a program. ` +
        `Remove it with \`git config --file ${JSON.stringify(path.resolve(folder, file))} --unset-all ${first.key}\`` +
        (unsafe.length > 1
          ? ` (and ${unsafe
              .slice(1)
              .map((entry) => entry.key)
              .join(', ')})`
          : '') +
        ', or move it to your global config if you trust it, then try again.',
      { keys: unsafe.map((entry) => ({ key: entry.key, file: entry.origin.replace(/^file:/, '') })) },
    );
  }
  const local = entries.filter((entry) => entry.scope === 'local' || entry.scope === 'worktree');
  const originFile = (entry: ConfigEntry) => path.resolve(folder, entry.origin.replace(/^file:/, ''));
  const files = [
    ...new Set([
      ...configCandidates(folder),
      ...local.map(originFile),
      // A file a local config includes counts even while it does not exist: created later, it is new config.
      ...local.flatMap((entry) => {
        if (!/^include(if\..*)?\.path$/.test(entry.key)) return [];
        const from = path.dirname(originFile(entry));
        return [
          entry.value.startsWith('~/')
            ? path.join(os.homedir(), entry.value.slice(2))
            : path.resolve(from, entry.value),
        ];
      }),
    ]),
  ];
  const checked = {
    fingerprint: fingerprintOf(folder, files),
    files,
    overrides: overridesFor(entries),
    hasSshCommand: entries.some((entry) => entry.key === 'core.sshcommand'),
  };
  checkedFolders.set(folder, checked);
  return checked;
}

/** `git config --list -z --show-scope --show-origin`: scope NUL origin NUL key LF value NUL. */
export function parseConfigListing(output: string): ConfigEntry[] {
  const fields = output.split('\0');
  const entries: ConfigEntry[] = [];
  for (let index = 0; index + 2 < fields.length; index += 3) {
    const [scope, origin, pair] = [fields[index]!, fields[index + 1]!, fields[index + 2]!];
    const cut = pair.indexOf('\n');
    entries.push({
      scope,
      origin,
      key: (cut < 0 ? pair : pair.slice(0, cut)).toLowerCase(),
      value: cut < 0 ? '' : pair.slice(cut + 1),
    });
  }
  return entries;
}

/** Where a folder's own config can live (a work tree, a bare repository, a linked worktree). */
function configCandidates(folder: string): string[] {
  return [
    path.join(folder, '.git', 'config'),
    path.join(folder, '.git', 'config.worktree'),
    path.join(folder, 'config'),
    path.join(folder, 'config.worktree'),
    path.join(folder, '.git'),
  ];
}

function fingerprintOf(folder: string, files: string[]): string {
  return [folder, ...files]
    .map((file) => {
      try {
        const stats = statSync(file);
        // A folder counts by its identity only: git touches `.git` on every index refresh and a
        // work tree changes with every checkout, neither of which changes any config.
        return stats.isDirectory() ? `${stats.ino}/` : `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

function withDiffSafety(args: string[]): string[] {
  const [command, ...rest] = args;
  if (command === undefined || !diffCommands.has(command)) return args;
  return [command, '--no-ext-diff', '--no-textconv', ...rest];
}

async function execute(folder: string, args: string[], overrides: string[], options: GitOptions): Promise<string> {
  const input = options.input;
  const deadline = options.deadlineMs === undefined ? undefined : AbortSignal.timeout(options.deadlineMs);
  const signals = [options.signal, deadline].filter((signal): signal is AbortSignal => signal !== undefined);
  const git = simpleGit({
    baseDir: folder,
    config: overrides,
    // Our own ssh command (remoteOverrides) is a fixed string, never input.
    unsafe: { ...unsafeOptIns, allowUnsafeSshCommand: overrides.some((entry) => entry.startsWith('core.sshCommand=')) },
    allowEnvironment: [...Object.keys(setEnvironment).filter((name) => name.startsWith('GIT_')), ...passedEnvironment],
    abort: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
    input: () => input,
    errors: (error, result) => (result.exitCode === 0 ? error : gitFailure(args, result)),
  });
  try {
    return await git.env(childEnvironment(options.env)).raw(args);
  } catch (error) {
    if (deadline?.aborted && !options.signal?.aborted)
      throw new CockpitError(
        'GIT_FAILED',
        `git ${args[0]} gave no answer within ${Math.round(options.deadlineMs! / 1000)} s: the remote is unreachable or too slow.`,
        { isTimeout: true },
      );
    throw asCockpitError(args, error);
  }
}

function childEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!droppedVariables.test(name) || passedEnvironment.includes(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (!droppedVariables.test(name) || passedEnvironment.includes(name)) env[name] = value;
  }
  return { ...env, ...setEnvironment };
}

class GitFailure extends Error {}

function gitFailure(args: string[], result: { stdErr: Buffer[]; exitCode: number }): Error {
  const message = Buffer.concat(result.stdErr)
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    // git's closing advice says nothing the lines before it did not.
    .filter((line) => line !== '' && !/^Please make sure you have the correct access rights/.test(line))
    .slice(-3)
    .join(' ');
  return new GitFailure(`git ${args[0]} failed: ${message || `exit code ${result.exitCode}`}`);
}

function asCockpitError(args: string[], error: unknown): CockpitError {
  if (error instanceof CockpitError) return error;
  const message = (error as Error)?.message ?? String(error);
  if (/spawn \S*git ENOENT/.test(message)) {
    return new CockpitError('GIT_FAILED', `git could not be started (${message}): install git and try again.`);
  }
  if (error instanceof GitFailure) return new CockpitError('GIT_FAILED', message);
  // simple-git's own guard refused the call before git ran.
  return new CockpitError('GIT_FAILED', `git ${args[0]} was refused: ${message.trim().split('\n')[0]}`);
}
