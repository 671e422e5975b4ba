/**
 * Real SSH keys and people for identity tests: keys made by `ssh-keygen`, a HOME per person with
 * their own git identity and signing key, and a platform file whose roster lists them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { samplePlatformFile } from './cockpit-builder';

export interface TestKey {
  privateFile: string;
  publicLine: string;
  fingerprint: string;
}

/** A new key in `folder` (ed25519 unless told), optionally protected by a passphrase. */
export function makeKey(folder: string, name: string, options: { type?: string; passphrase?: string } = {}): TestKey {
  mkdirSync(folder, { recursive: true });
  const privateFile = path.join(folder, name);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    options.type ?? 'ed25519',
    '-N',
    options.passphrase ?? '',
    '-C',
    name,
    '-f',
    privateFile,
  ]);
  const publicLine = readFileSync(`${privateFile}.pub`, 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${privateFile}.pub`], { encoding: 'utf8' }).split(
    ' ',
  )[1]!;
  return { privateFile, publicLine, fingerprint };
}

export interface TestPerson {
  name: string;
  email: string;
  roles: string[];
  key: TestKey;
  /** A HOME whose git config names the person and signs with their key (gpg.format=ssh). */
  home: string;
}

export function makePerson(root: string, name: string, email: string, roles: string[], keyOptions = {}): TestPerson {
  const slug = email.split('@')[0]!;
  const home = path.join(root, `home-${slug}`);
  const key = makeKey(path.join(home, '.ssh'), 'id_ed25519', keyOptions);
  writeFileSync(
    path.join(home, '.gitconfig'),
    `[user]\n\tname = ${name}\n\temail = ${email}\n\tsigningkey = ${key.privateFile}\n[gpg]\n\tformat = ssh\n`,
  );
  return { name, email, roles, key, home };
}

/** The sample platform with these people as its roster (and any policy changes), written to `file`. */
export function writeTeamPlatform(
  file: string,
  people: { name: string; email: string; roles: string[]; signingKeys?: string[]; leftOn?: string }[],
  policy: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): string {
  const document = parse(readFileSync(samplePlatformFile, 'utf8')) as {
    roster: { people: unknown[] };
    policy: Record<string, unknown>;
  };
  document.roster.people = people;
  document.policy = { ...document.policy, ...policy };
  Object.assign(document, extra);
  writeFileSync(file, stringify(document));
  return file;
}

/** A freeze around today: production stays closed whatever the time the tests run. */
export function freezeAroundToday(): { from: string; to: string; reason: string }[] {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return [{ from: day(-2), to: day(3), reason: 'test freeze' }];
}
