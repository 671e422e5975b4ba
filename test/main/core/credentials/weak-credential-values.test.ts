/**
 * Credential values that cannot be secrets (`staging`, `patch`, `succeeded`, `production`), stored
 * in the keychain by an older version, never rewrite the audit trail: a deploy, a release and a
 * rollback through the whole core are recorded with their real environment, versions and status,
 * and the ledger verifies. Real git repository and bare remote, a real service on 127.0.0.1
 * deployed by a real command.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../src/shared/contract';
import type { LedgerRecord } from '../../../../src/shared/ledger-record';
import { createSessionKeychain } from '../../../../src/main/core/credentials/keychain';
import { keychainServiceName } from '../../../../src/main/core/credentials/vault';
import { demoServices } from '../../../../src/main/core/demo/catalog';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../../../src/main/core/demo/repos';
import { buildCockpit } from '../../../helpers/cockpit-builder';

const weakValues = {
  'github-token': 'succeeded',
  'slack-webhook': 'staging',
  'deploy-token': 'patch',
  'extra-token': 'production',
};
const service = { version: '1.0.0', server: undefined as Server | undefined, url: '' };

beforeAll(async () => {
  service.server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'POST' && url.pathname === '/deploy') {
      service.version = url.searchParams.get('version') ?? service.version;
      response.writeHead(200).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'ok', version: service.version }));
  });
  await new Promise<void>((resolve) => service.server!.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(service.server!.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => service.server?.close(resolve));
});

const deployScript = `const [url, version] = process.argv.slice(1);
console.log('deploying ' + version + ' to staging: succeeded soon, patch level');
fetch(url + '/deploy?version=' + version, { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1));`;

async function platformFile() {
  const notify = demoServices.find((candidate) => candidate.id === 'notify-service')!;
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-weak-values-')));
  await ensureServiceRepos(layout, notify, 'export {};\n', new Date('2026-11-20T12:00:00Z'));
  const file = path.join(layout.root, 'weak.yaml');
  writeFileSync(
    file,
    `version: 1
id: weak-values
name: Weak values
environments:
  - { id: staging, name: Staging, protected: false, branch: develop }
services:
  - id: notify-service
    name: Notify
    repo: { path: ${JSON.stringify(layout.work('notify-service'))} }
    environments:
      staging:
        url: "${service.url}"
        deploy: { provider: command, command: ["${process.execPath}", "-e", ${JSON.stringify(deployScript)}, "${service.url}", "{version}"] }
credentials:
${Object.keys(weakValues)
  .map((id) => `  - { id: ${id}, kind: api-token }`)
  .join('\n')}
roster:
  people:
    - { name: Weak Tester, roles: [release-manager, devops] }
`,
  );
  return file;
}

describe('credential values that cannot be secrets, stored by an older version', () => {
  it('leave every record of a deploy, a release and a rollback as it happened, and the ledger valid', async () => {
    const backend = createSessionKeychain();
    for (const [id, value] of Object.entries(weakValues)) {
      await backend.setPassword(keychainServiceName('weak-values'), id, value);
    }
    const { cockpit } = buildCockpit({
      platformFile: await platformFile(),
      openKeychain: async () => ({ ok: true, backend }),
      actor: { name: 'Weak Tester', source: 'os' },
    });
    const seen: { channel: string; payload: unknown }[] = [];
    cockpit.events.subscribe((channel, payload) => seen.push({ channel, payload }));
    await cockpit.start();
    try {
      const refused = await cockpit.dispatch('credentials:set', { id: 'github-token', value: 'succeeded' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });

      const planned = await cockpit.dispatch('deploy:plan', {
        environment: 'staging',
        versions: { 'notify-service': '1.1.0' },
      });
      expect(planned.ok, JSON.stringify(planned)).toBe(true);
      const started = await cockpit.dispatch('deploy:start', {
        planId: planned.ok ? (planned.value as { planId: string }).planId : '',
      });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      await expect
        .poll(() => seen.find((event) => event.channel === 'deploy:finished')?.payload)
        .toMatchObject({ status: 'succeeded' });

      const cut = await cockpit.dispatch('release:cut', { service: 'notify-service', bump: 'patch' });
      expect(cut.ok, JSON.stringify(cut)).toBe(true);

      const rollback = await cockpit.dispatch('rollback:start', {
        level: 1,
        service: 'notify-service',
        environment: 'staging',
        to: '1.0.0',
        reason: 'staging failed the smoke test',
      });
      expect(rollback.ok, JSON.stringify(rollback)).toBe(true);
      const rollbackId = rollback.ok ? (rollback.value as { rollbackId: string }).rollbackId : '';
      const progress = () =>
        seen
          .filter((event) => event.channel === 'rollback:progress')
          .map((event) => event.payload as EventPayload<'rollback:progress'>)
          .at(-1);
      for (;;) {
        await expect.poll(() => progress()?.awaiting !== undefined || progress()?.status !== 'running').toBe(true);
        if (progress()!.status !== 'running') break;
        await cockpit.dispatch('rollback:decide', { rollbackId, decision: 'continue' });
        await expect.poll(() => progress()?.awaiting).toBeUndefined();
      }
      expect(progress()!.status).toBe('succeeded');
      expect(service.version).toBe('1.0.0');

      const verified = await cockpit.dispatch('ledger:verify', {});
      expect(verified).toMatchObject({ ok: true, value: { isValid: true } });
      const query = await cockpit.dispatch('ledger:query', {});
      const records = (query.ok ? (query.value as { records: LedgerRecord[] }).records : []).slice();
      const outcome = (action: string) =>
        records.filter((record) => record.action === action && record.status !== 'started').at(-1);
      expect(outcome('deploy.finished')).toMatchObject({ status: 'succeeded', environment: 'staging' });
      expect(outcome('deploy.step')).toMatchObject({ status: 'succeeded', versionTo: '1.1.0' });
      expect(outcome('release.cut')).toMatchObject({
        status: 'succeeded',
        versionTo: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
      expect(outcome('release.cut')!.summary).toContain('(patch)');
      expect(outcome('rollback.finished')).toMatchObject({ status: 'succeeded', environment: 'staging' });
      expect(JSON.stringify(records)).not.toContain('***');
    } finally {
      cockpit.stop();
    }
  }, 90_000);
});
