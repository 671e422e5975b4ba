import { describe, expect, it } from 'vitest';
import { createSessionKeychain } from '../../../../src/main/core/credentials/keychain';
import { Vault } from '../../../../src/main/core/credentials/vault';
import { Redactor } from '../../../../src/main/core/logs/redactor';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { samplePlatformFile, temporaryDataDir } from '../../../helpers/cockpit-builder';

async function openVaultAt(now: { value: Date }) {
  const loaded = await loadPlatformFile(samplePlatformFile);
  if (!loaded.ok) throw new Error('sample platform invalid');
  const redactor = new Redactor();
  const vault = new Vault({
    platform: loaded.platform,
    backend: createSessionKeychain(),
    status: { backend: 'session-memory', isPersistent: false, message: 'test' },
    dataDir: temporaryDataDir(),
    redactor,
    clock: () => now.value,
  });
  await vault.open();
  return { vault, redactor };
}

describe('the vault', () => {
  it('lists every declared credential, unset, with the platform’s rotation period', async () => {
    const { vault } = await openVaultAt({ value: new Date('2026-01-01T00:00:00Z') });
    const list = await vault.list();
    expect(list).toHaveLength(12);
    expect(list[0]).toEqual({
      id: 'coolify-api-token',
      kind: 'api-token',
      description: 'Coolify API token (Bearer) used to trigger and follow deploys',
      environment: undefined,
      isSet: false,
      lastSetAt: undefined,
      rotationDays: 90,
      rotationDueAt: undefined,
      isRotationDue: false,
    });
  });

  it('computes the rotation due date from when the value was set, and flags it once passed', async () => {
    const now = { value: new Date('2026-01-01T00:00:00Z') };
    const { vault } = await openVaultAt(now);
    const set = await vault.set('github-token', 'ghp_abcdef123456');
    expect(set).toMatchObject({
      lastSetAt: '2026-01-01T00:00:00.000Z',
      rotationDueAt: '2026-04-01T00:00:00.000Z',
      isRotationDue: false,
    });
    now.value = new Date('2026-04-01T00:00:00Z');
    expect((await vault.list()).find((credential) => credential.id === 'github-token')?.isRotationDue).toBe(true);
  });

  it.each(['production', 'patch', 'succeeded', 'Penpal AI', 'release-manager'])(
    'refuses %j as a value, saying why, and masks nothing',
    async (value) => {
      const { vault, redactor } = await openVaultAt({ value: new Date() });
      await expect(vault.set('github-token', value)).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringMatching(
          /cannot be the secret for "github-token": it is (\d+ characters long|".+", a word)/,
        ),
      });
      expect(redactor.redact(`deploy to production: ${value}`)).toBe(`deploy to production: ${value}`);
      expect((await vault.list()).find((credential) => credential.id === 'github-token')?.isSet).toBe(false);
    },
  );

  it.each([
    ['slack-releases-webhook', 'xoxb-not-a-url-7f3a9c', 'a webhook is an https URL'],
    ['slack-releases-webhook', 'http://hooks.slack.com/services/T0/B0/plain', 'a webhook is an https URL'],
    ['github-token', 'ghp_two words here', 'a token is one word'],
  ])('refuses a %s value that is not of its kind (%j), saying what to paste', async (id, value, reason) => {
    const { vault } = await openVaultAt({ value: new Date() });
    await expect(vault.set(id, value)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(reason),
    });
    expect((await vault.list()).find((credential) => credential.id === id)?.isSet).toBe(false);
  });

  it('accepts values of their kind: an https webhook, a loopback stand-in, a one-word token', async () => {
    const { vault } = await openVaultAt({ value: new Date() });
    await expect(
      vault.set('slack-releases-webhook', 'https://hooks.slack.com/services/T0/B0/abc123'),
    ).resolves.toMatchObject({ isSet: true });
    await expect(vault.set('slack-incidents-webhook', 'http://127.0.0.1:8123/hooks/abc123')).resolves.toMatchObject({
      isSet: true,
    });
    await expect(vault.set('github-token', 'ghp_oneword_0123456789')).resolves.toMatchObject({ isSet: true });
  });

  it('never masks a value an older version stored that cannot be a secret, and asks to replace it', async () => {
    const loaded = await loadPlatformFile(samplePlatformFile);
    if (!loaded.ok) throw new Error('sample platform invalid');
    const backend = createSessionKeychain();
    await backend.setPassword('Release Cockpit/penpal-ai', 'github-token', 'production');
    await backend.setPassword('Release Cockpit/penpal-ai', 'coolify-api-token', 'cfy_0123456789abcdef');
    const redactor = new Redactor();
    const vault = new Vault({
      platform: loaded.platform,
      backend,
      status: { backend: 'session-memory', isPersistent: false, message: 'test' },
      dataDir: temporaryDataDir(),
      redactor,
    });
    await vault.open();
    expect(await vault.read('github-token')).toBe('production');
    expect(redactor.redact('production with cfy_0123456789abcdef')).toBe('production with ***');
    const listed = await vault.list();
    expect(listed.find((credential) => credential.id === 'github-token')?.problem).toContain(
      'The stored value cannot be a secret',
    );
    expect(listed.find((credential) => credential.id === 'coolify-api-token')?.problem).toBeUndefined();
  });

  it('registers every value it handles with the redactor', async () => {
    const { vault, redactor } = await openVaultAt({ value: new Date() });
    await vault.set('coolify-api-token', 'cfy_0123456789abcdef');
    expect(redactor.redact('Authorization: Bearer cfy_0123456789abcdef')).toBe('Authorization: Bearer ***');
  });

  it.each([
    [
      'an undeclared credential',
      'not-declared',
      'x-value',
      'NOT_FOUND',
      '"not-declared" is not a credential of Penpal AI',
    ],
    ['an empty value', 'github-token', '   ', 'BAD_INPUT', 'is empty'],
    ['a value over 64 KiB', 'github-token', 'x'.repeat(70_000), 'BAD_INPUT', 'longer than 64 KiB'],
  ])('refuses %s with a typed error', async (_label, id, value, code, message) => {
    const { vault } = await openVaultAt({ value: new Date() });
    await expect(vault.set(id, value)).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
  });

  it('reads back a value inside main, and forgets it when deleted', async () => {
    const { vault } = await openVaultAt({ value: new Date() });
    await vault.set('github-token', 'ghp_readback_value');
    await expect(vault.read('github-token')).resolves.toBe('ghp_readback_value');
    await vault.delete('github-token');
    await expect(vault.read('github-token')).resolves.toBeUndefined();
  });
});
