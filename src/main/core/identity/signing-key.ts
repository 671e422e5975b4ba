/**
 * The person's SSH signing key and signing with it: the key named in Settings, else git's
 * `user.signingkey` when `gpg.format=ssh` (what the person signs commits with). Signing runs
 * `ssh-keygen -Y sign` (argument array, no shell), which uses the SSH agent when it holds the key.
 * It never prompts: no terminal, no askpass, a deadline — an encrypted key no agent holds, a
 * missing or unknown key is a SIGNING_KEY error saying what to do.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CockpitError } from '../errors';
import { runGit } from '../git/hardened-git';
import { parsePublicKey, parseSignature, signatureNamespace, SshFormatError, type SshPublicKey } from './sshsig';

export type KeySource = 'settings' | 'git' | 'none';

/** Where the key was found, as the person configured it. */
export interface SigningKeySetting {
  source: KeySource;
  /** A path to a private or public key file, or a public key itself (`key::ssh-ed25519 …`). */
  value?: string;
}

export interface SigningKey {
  source: Exclude<KeySource, 'none'>;
  publicKey: SshPublicKey;
  /** The file `ssh-keygen -f` gets: the private key, or the public key when an agent signs. */
  keyFile?: string;
  /** The public key itself (no file): only an agent can sign with it. */
  literal?: string;
}

const signDeadlineMs = 20_000;
const configureHint =
  'Set one with `git config --global gpg.format ssh` and `git config --global user.signingkey ~/.ssh/id_ed25519.pub` (the key you sign commits with), or choose it in Settings.';

/** Reads git's global configuration (from the file system's root: no repository's config applies). */
async function gitGlobal(key: string): Promise<string | undefined> {
  try {
    return (
      (await runGit(['config', '--global', '--get', key], { cwd: path.parse(process.cwd()).root })).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** The key setting in force: Settings first, then git's. */
export async function signingKeySetting(settingsKey?: string): Promise<SigningKeySetting> {
  if (settingsKey?.trim()) return { source: 'settings', value: settingsKey.trim() };
  const [format, key] = await Promise.all([gitGlobal('gpg.format'), gitGlobal('user.signingkey')]);
  if (format === 'ssh' && key) return { source: 'git', value: key };
  return { source: 'none' };
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

const looksLikePublicKey = (text: string) => /^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/=]+/.test(text.trim());

/** Resolves a setting to a key whose public half is known; throws SIGNING_KEY saying what to do. */
export async function loadSigningKey(setting: SigningKeySetting): Promise<SigningKey> {
  if (setting.source === 'none' || !setting.value)
    throw new CockpitError('SIGNING_KEY', `No SSH signing key is configured. ${configureHint}`);
  const where = setting.source === 'git' ? 'git config user.signingkey' : 'the signing key in Settings';
  const parse = (text: string, from: string) => {
    try {
      return parsePublicKey(text);
    } catch (error) {
      throw new CockpitError(
        'SIGNING_KEY',
        `${from} is not an OpenSSH public key (${(error as SshFormatError).message}). ${configureHint}`,
      );
    }
  };
  const literal = setting.value.replace(/^key::/, '');
  if (looksLikePublicKey(literal)) return { source: setting.source, publicKey: parse(literal, where), literal };
  const file = path.resolve(expandHome(setting.value));
  if (!existsSync(file))
    throw new CockpitError('SIGNING_KEY', `${where} names ${file}, which does not exist. ${configureHint}`);
  const text = await readFile(file, 'utf8').catch(() => '');
  if (looksLikePublicKey(text)) return { source: setting.source, publicKey: parse(text, file), keyFile: file };
  if (existsSync(`${file}.pub`))
    return {
      source: setting.source,
      publicKey: parse(await readFile(`${file}.pub`, 'utf8'), `${file}.pub`),
      keyFile: file,
    };
  const derived = await runSshKeygen(['-y', '-f', file]);
  if (!derived.ok)
    throw new CockpitError(
      'SIGNING_KEY',
      `The public half of ${file} cannot be read (${derived.stderr.trim() || 'ssh-keygen failed'}): put it beside the key as ${file}.pub, or add the key to your SSH agent.`,
    );
  return { source: setting.source, publicKey: parse(derived.stdout, file), keyFile: file };
}

/** Signs `message` with the key (SSHSIG, namespace release-cockpit); resolves the armored signature. */
export async function signWithKey(key: SigningKey, message: Buffer): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'cockpit-sign-'));
  try {
    let keyFile = key.keyFile;
    if (!keyFile) {
      keyFile = path.join(folder, 'key.pub');
      await writeFile(keyFile, `${key.publicKey.line}\n`, { mode: 0o600 });
    }
    const messageFile = path.join(folder, 'record');
    await writeFile(messageFile, message, { mode: 0o600 });
    const result = await runSshKeygen(['-Y', 'sign', '-n', signatureNamespace, '-f', keyFile, messageFile]);
    if (!result.ok) throw signingFailure(key, keyFile, result.stderr);
    const armored = await readFile(`${messageFile}.sig`, 'utf8');
    if (parseSignature(armored).publicKey.fingerprint !== key.publicKey.fingerprint)
      throw new CockpitError('SIGNING_KEY', `ssh-keygen signed with another key than ${key.publicKey.fingerprint}.`);
    return armored.trim();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function signingFailure(key: SigningKey, keyFile: string, stderr: string): CockpitError {
  const detail = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^(Signing file|Write signature)/.test(line))
    .join(' ')
    .slice(0, 300);
  if (/passphrase/i.test(detail))
    return new CockpitError(
      'SIGNING_KEY',
      `Your SSH key ${keyFile} is protected by a passphrase and no SSH agent holds it: run \`ssh-add ${keyFile}\` in a terminal, then try again.`,
    );
  if (key.literal || /agent/i.test(detail))
    return new CockpitError(
      'SIGNING_KEY',
      `Your SSH agent does not hold the key ${key.publicKey.fingerprint} (${detail || 'no agent'}): start the agent and \`ssh-add\` the key, or name the private key file in Settings.`,
    );
  return new CockpitError('SIGNING_KEY', `Signing with ${keyFile} failed: ${detail || 'ssh-keygen failed'}.`);
}

/**
 * Runs ssh-keygen without a terminal (its own session), without askpass and with a deadline:
 * whatever it would ask, it cannot wait for an answer.
 */
function runSshKeygen(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, SSH_ASKPASS_REQUIRE: 'never' };
    delete env.SSH_ASKPASS;
    delete env.DISPLAY;
    let stdout = '';
    let stderr = '';
    const child = spawn('ssh-keygen', args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), signDeadlineMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, stdout, stderr: `ssh-keygen could not run (${error.message}); install OpenSSH` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        ok: code === 0,
        stdout,
        stderr: signal ? `ssh-keygen gave no answer within ${signDeadlineMs / 1000} s` : stderr,
      });
    });
  });
}
