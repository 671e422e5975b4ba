import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoServices } from '../../../../src/main/core/demo/catalog';
import { demoLayout } from '../../../../src/main/core/demo/layout';
import { ensureServiceRepos } from '../../../../src/main/core/demo/repos';
import { AuditTrail } from '../../../../src/main/core/ledger/audit-trail';
import { Platform } from '../../../../src/main/core/platform/schema';
import { ReleaseService } from '../../../../src/main/core/release/release-service';
import { temporaryDataDir } from '../../../helpers/cockpit-builder';
import { temporaryLedger } from '../ledger/ledger-builder';

async function twoServicePlatform() {
  const layout = demoLayout(mkdtempSync(path.join(os.tmpdir(), 'cockpit-batch-')));
  const ids = ['notify-service', 'payment-service'];
  for (const id of ids)
    await ensureServiceRepos(
      layout,
      demoServices.find((service) => service.id === id)!,
      'export {};\n',
      new Date(),
    );
  const platform = Platform.parse({
    version: 1,
    id: 'batch',
    name: 'Batch',
    environments: [{ id: 'staging', name: 'Staging', branch: 'develop' }],
    services: ids.map((id) => ({
      id,
      name: id,
      repo: { path: layout.work(id) },
      environments: { staging: { url: 'http://127.0.0.1:1', deploy: { provider: 'command', command: ['true'] } } },
    })),
  });
  return { platform, layout };
}

describe('cutting several releases in one go', () => {
  it('reports each service separately; one refusal does not stop the others; each is in the ledger', async () => {
    const { platform, layout } = await twoServicePlatform();
    writeFileSync(path.join(layout.work('notify-service'), 'CHANGES.md'), 'uncommitted\n');
    const ledger = temporaryLedger();
    const dataDir = temporaryDataDir();
    const releases = new ReleaseService({ platform, dataDir, audit: new AuditTrail(ledger, () => undefined) });
    const outcomes = await releases.cutMany([
      { service: 'notify-service', bump: 'minor' },
      { service: 'payment-service', bump: 'minor' },
    ]);
    expect(outcomes[0]).toMatchObject({ service: 'notify-service', ok: false, error: { code: 'RELEASE_REFUSED' } });
    expect(outcomes[1]).toMatchObject({ service: 'payment-service', ok: true, result: { tag: 'v1.2.0' } });
    const tag = execFileSync('git', ['--git-dir', layout.origin('payment-service'), 'tag', '--list', 'v1.2.0'], {
      encoding: 'utf8',
    }).trim();
    expect(tag).toBe('v1.2.0');
    const records = await ledger.readAll();
    expect(records.map((record) => [record.services?.[0], record.action, record.status])).toEqual([
      ['notify-service', 'release.cut', 'started'],
      ['notify-service', 'release.cut', 'failed'],
      ['payment-service', 'release.cut', 'started'],
      ['payment-service', 'release.cut', 'succeeded'],
    ]);
    const result = outcomes[1]!.ok ? outcomes[1]!.result : undefined;
    expect(readFileSync(result!.notesFile, 'utf8')).toContain('# Release v1.2.0');
  });
});
