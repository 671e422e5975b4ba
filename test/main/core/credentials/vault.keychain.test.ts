import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainServiceName } from '../../../../src/main/core/credentials/vault';
import { openOsKeychain } from '../../../../src/main/core/credentials/keychain';
import { buildCockpit, samplePlatformFile } from '../../../helpers/cockpit-builder';
import { canRunPrivateKeychain, startPrivateKeychain, type PrivateKeychain } from '../../../helpers/private-keychain';

// These run against the real Secret Service (gnome-keyring on a private D-Bus). CI installs both;
// elsewhere without them the suite is skipped rather than faked.
const isAvailable = canRunPrivateKeychain();

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

function expectNowhereOnDisk(folder: string, value: string) {
  for (const file of filesUnder(folder)) {
    const content = readFileSync(file);
    expect(content.includes(Buffer.from(value)), `${file} contains the secret`).toBe(false);
    expect(content.includes(Buffer.from(Buffer.from(value).toString('base64'))), `${file} contains it in base64`).toBe(
      false,
    );
  }
}

function secretToolLookup(env: NodeJS.ProcessEnv, account: string): string | undefined {
  const result = spawnSync(
    'secret-tool',
    ['lookup', 'service', keychainServiceName('penpal-ai'), 'username', account],
    {
      env,
      encoding: 'utf8',
    },
  );
  return result.status === 0 ? result.stdout : undefined;
}

describe.skipIf(!isAvailable && !process.env.CI)('the vault on the real OS keychain', () => {
  let keychain: PrivateKeychain;
  let previousBus: string | undefined;

  beforeAll(async () => {
    keychain = await startPrivateKeychain();
    previousBus = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = keychain.env.DBUS_SESSION_BUS_ADDRESS;
  });

  afterAll(() => {
    if (previousBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = previousBus;
    keychain?.stop();
  });

  it('opens the keychain', async () => {
    const opening = await openOsKeychain();
    expect(opening).toMatchObject({ ok: true });
  });

  it('stores, lists, replaces and deletes a credential; values only ever in the keychain', async () => {
    const { cockpit, logEntries } = buildCockpit({ platformFile: samplePlatformFile });
    const dataDir = ((await cockpit.dispatch('app:info', {})) as { value: { dataDir: string } }).value.dataDir;
    const sent: string[] = [];
    cockpit.events.subscribe((channel, payload) => sent.push(JSON.stringify({ channel, payload })));
    await cockpit.start();

    const listed = await cockpit.dispatch('credentials:list', {});
    expect(listed).toMatchObject({ ok: true, value: { status: { backend: 'os-keychain', isPersistent: true } } });

    const first = 'https://hooks.slack.com/services/T000/B000/first-value-7f3a9c';
    const set = await cockpit.dispatch('credentials:set', { id: 'slack-releases-webhook', value: first });
    expect(set).toMatchObject({ ok: true, value: { id: 'slack-releases-webhook', isSet: true, kind: 'webhook-url' } });
    expect(secretToolLookup(keychain.env, 'slack-releases-webhook')).toBe(first);

    const second = 'https://hooks.slack.com/services/T000/B000/second-value-1b2c3d';
    await cockpit.dispatch('credentials:set', { id: 'slack-releases-webhook', value: second });
    expect(secretToolLookup(keychain.env, 'slack-releases-webhook')).toBe(second);
    const afterReplace = await cockpit.dispatch('credentials:list', {});
    const entry = afterReplace.ok
      ? (
          afterReplace.value as {
            credentials: { id: string; isSet: boolean; lastSetAt?: string; rotationDueAt?: string }[];
          }
        ).credentials.find((credential) => credential.id === 'slack-releases-webhook')
      : undefined;
    expect(entry).toMatchObject({ isSet: true, lastSetAt: expect.any(String), rotationDueAt: expect.any(String) });

    const deleted = await cockpit.dispatch('credentials:delete', { id: 'slack-releases-webhook' });
    expect(deleted).toMatchObject({ ok: true, value: { isSet: false } });
    expect(secretToolLookup(keychain.env, 'slack-releases-webhook')).toBeUndefined();

    for (const value of [first, second]) {
      expectNowhereOnDisk(dataDir, value);
      expect(sent.join('\n')).not.toContain(value);
      expect(JSON.stringify(logEntries)).not.toContain(value);
    }
  });

  it('keeps values across cockpit restarts (a new process of the same user)', async () => {
    const dataDir = (await import('../../../helpers/cockpit-builder')).temporaryDataDir();
    const firstRun = buildCockpit({ platformFile: samplePlatformFile, dataDir });
    await firstRun.cockpit.start();
    await firstRun.cockpit.dispatch('credentials:set', { id: 'github-token', value: 'ghp_persisted_value_123' });
    const secondRun = buildCockpit({ platformFile: samplePlatformFile, dataDir });
    await secondRun.cockpit.start();
    const listed = await secondRun.cockpit.dispatch('credentials:list', {});
    expect(JSON.stringify(listed)).toContain('"id":"github-token","kind":"api-token"');
    expect(
      listed.ok &&
        (listed.value as { credentials: { id: string; isSet: boolean }[] }).credentials.find(
          (c) => c.id === 'github-token',
        )?.isSet,
    ).toBe(true);
    await secondRun.cockpit.dispatch('credentials:delete', { id: 'github-token' });
  });
});

describe('the vault without an OS keychain', () => {
  it('detects a missing Secret Service for real and says so, with the fix', async () => {
    const previousBus = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/cockpit-test-bus';
    try {
      const opening = await openOsKeychain();
      expect(opening.ok).toBe(false);
      const { cockpit } = buildCockpit({ platformFile: samplePlatformFile, hostPlatform: 'linux' });
      await cockpit.start();
      const listed = await cockpit.dispatch('credentials:list', {});
      expect(listed).toMatchObject({
        ok: true,
        value: {
          status: {
            backend: 'session-memory',
            isPersistent: false,
            message: expect.stringContaining('kept in memory for this session only'),
            fix: expect.stringContaining('gnome-keyring'),
          },
        },
      });
    } finally {
      if (previousBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = previousBus;
    }
  });

  it('keeps a value for the session only and writes nothing of it to disk', async () => {
    const { cockpit } = buildCockpit({
      platformFile: samplePlatformFile,
      openKeychain: async () => ({ ok: false, reason: 'AccessDenied' }),
    });
    const dataDir = ((await cockpit.dispatch('app:info', {})) as { value: { dataDir: string } }).value.dataDir;
    await cockpit.start();
    const value = 'sk_live_session_only_value_42';
    const set = await cockpit.dispatch('credentials:set', { id: 'coolify-api-token', value });
    expect(set).toMatchObject({ ok: true, value: { isSet: true } });
    expectNowhereOnDisk(dataDir, value);

    const nextSession = buildCockpit({
      platformFile: samplePlatformFile,
      dataDir,
      openKeychain: async () => ({ ok: false, reason: 'AccessDenied' }),
    });
    await nextSession.cockpit.start();
    const listed = await nextSession.cockpit.dispatch('credentials:list', {});
    expect(
      listed.ok &&
        (listed.value as { credentials: { id: string; isSet: boolean }[] }).credentials.find(
          (c) => c.id === 'coolify-api-token',
        )?.isSet,
    ).toBe(false);
  });
});
