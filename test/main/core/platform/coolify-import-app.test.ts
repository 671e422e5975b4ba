/**
 * "New platform from Coolify" as the app does it (the `platform:import-coolify` command), against
 * the Coolify stand-in: several projects ask for a choice (listed in the error), then the file is
 * written and opened, and the token is kept as the platform's credential — never in the file.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialList, PlatformState } from '../../../../src/shared/contract';
import { buildStartedCockpit, noKeychain } from '../../../helpers/cockpit-builder';
import { startCoolifyStandIn, type CoolifyStandIn } from '../../../stand-ins/coolify-stand-in';

let coolify: CoolifyStandIn;

beforeAll(async () => {
  coolify = await startCoolifyStandIn();
  coolify.projects = [
    {
      uuid: 'p-shop',
      name: 'Shop',
      environments: [
        { id: 1, name: 'staging' },
        { id: 2, name: 'production' },
      ],
    },
    { uuid: 'p-blog', name: 'Blog', environments: [{ id: 3, name: 'production' }] },
  ];
  coolify.listed = [
    { uuid: 'app-stg', name: 'staging-api', environment_id: 1, fqdn: 'https://staging.api.shop.example' },
    { uuid: 'app-prd', name: 'api', environment_id: 2, fqdn: 'https://api.shop.example' },
  ];
});

afterAll(async () => {
  await coolify?.close();
});

describe('a new platform from Coolify, in the app', () => {
  it('asks which project, then writes, opens and keeps the token in the vault', async () => {
    const { cockpit } = await buildStartedCockpit({ openKeychain: noKeychain });
    try {
      const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'cockpit-import-app-')), 'shop.yaml');
      const input = { apiUrl: coolify.apiUrl, token: coolify.token, out };
      const ask = await cockpit.dispatch('platform:import-coolify', input);
      expect(ask).toMatchObject({
        ok: false,
        error: {
          code: 'BAD_INPUT',
          details: {
            projects: [
              { uuid: 'p-shop', name: 'Shop' },
              { uuid: 'p-blog', name: 'Blog' },
            ],
          },
        },
      });
      const reply = await cockpit.dispatch('platform:import-coolify', { ...input, project: 'p-shop' });
      expect(reply).toMatchObject({ ok: true, value: { file: out, services: 1, environments: 2 } });
      const state = (reply as { value: { state: PlatformState } }).value.state;
      expect(state.platform).toMatchObject({ id: 'shop', source: 'file', file: out });
      const credentials = await cockpit.dispatch('credentials:list', {});
      expect(
        (credentials as { value: CredentialList }).value.credentials.find((entry) => entry.id === 'coolify-api-token'),
      ).toMatchObject({ isSet: true });
      expect(readFileSync(out, 'utf8')).not.toContain(coolify.token);
      expect(coolify.violations).toEqual([]);
    } finally {
      cockpit.stop();
    }
  });
});
