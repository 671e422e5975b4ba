/**
 * A real Secret Service for tests: a private D-Bus session bus and an unlocked gnome-keyring on it,
 * with the keyring stored in a temporary folder. Nothing touches the user's own keychain.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PrivateKeychain {
  /** The environment that points at the private bus. */
  env: NodeJS.ProcessEnv;
  stop(): void;
}

/** Whether the tools exist on this machine (Linux with dbus-daemon and gnome-keyring). */
export function canRunPrivateKeychain(): boolean {
  if (process.platform !== 'linux') return false;
  return ['dbus-daemon', 'gnome-keyring-daemon'].every(
    (tool) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool]).status === 0,
  );
}

/** Starts the bus and the keyring; resolves once the keyring answers on the bus. */
export async function startPrivateKeychain(): Promise<PrivateKeychain> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cockpit-keyring-'));
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', '--nopidfile'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let output = '';
    bus.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, XDG_DATA_HOME: home, XDG_RUNTIME_DIR: home };
  const keyring: ChildProcess = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  keyring.stdin!.end('test-keyring-password');
  await waitForSecretService(env);
  return {
    env,
    stop() {
      keyring.kill('SIGTERM');
      bus.kill('SIGTERM');
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function waitForSecretService(env: NodeJS.ProcessEnv): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const probe = spawnSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      { env, encoding: 'utf8' },
    );
    if (probe.stdout?.includes('boolean true')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('gnome-keyring did not register the Secret Service within 5 seconds');
}
