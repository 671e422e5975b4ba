import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../../src/shared/ledger-record';
import { deployNotices } from '../../../../src/main/core/comms/deploy-notices';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { samplePlatformFile } from '../../../helpers/cockpit-builder';
import { recordsAt } from '../ledger/ledger-builder';

const step = (service: string, from: string, to: string, status: 'succeeded' | 'failed'): LedgerEntry => ({
  action: 'deploy.step',
  status,
  correlationId: 'run-7',
  environment: 'production',
  services: [service],
  versionFrom: from,
  versionTo: to,
  summary: `${service} v${to}`,
});

describe('the notices of a deploy', () => {
  it('fill started, finished and the release announcement with each release’s notes from the ledger', async () => {
    const loaded = await loadPlatformFile(samplePlatformFile);
    if (!loaded.ok) throw new Error('sample platform');
    const records = await recordsAt([
      [
        '2026-12-01T14:00:00Z',
        {
          action: 'deploy.started',
          status: 'started',
          correlationId: 'run-7',
          environment: 'production',
          summary: 'start',
        },
      ],
      ['2026-12-01T14:03:00Z', step('auth-service', '2.0.0', '2.1.0', 'succeeded')],
      ['2026-12-01T14:06:00Z', step('frontend', '2.0.0', '2.1.0', 'succeeded')],
      [
        '2026-12-01T14:07:00Z',
        {
          action: 'deploy.finished',
          status: 'succeeded',
          correlationId: 'run-7',
          environment: 'production',
          summary: 'done',
        },
      ],
    ]);
    const asked: string[] = [];
    const notices = await deployNotices(loaded.platform, records, 'run-7', async (service, from, to) => {
      asked.push(`${service} ${from}..${to}`);
      return service === 'auth-service' ? '### Features\n- soft-delete accounts (#140)' : undefined;
    });
    expect(notices.started).toBe(
      [
        '🚀 Deploy to production started by Ana Release',
        '- auth-service: v2.0.0 → v2.1.0',
        '- frontend: v2.0.0 → v2.1.0',
      ].join('\n'),
    );
    expect(notices.finished).toBe(
      [
        '✅ Deploy to production succeeded after 7 min',
        '- auth-service v2.1.0: succeeded',
        '- frontend v2.1.0: succeeded',
      ].join('\n'),
    );
    expect(asked).toEqual(['auth-service v2.0.0..v2.1.0', 'frontend v2.0.0..v2.1.0']);
    expect(notices.announcement).toContain('📣 Penpal AI: released to production');
    expect(notices.announcement).toContain('*auth-service v2.1.0*\n### Features\n- soft-delete accounts (#140)');
    expect(notices.announcement).toContain('*frontend v2.1.0*\n(no release notes)');
    await expect(deployNotices(loaded.platform, records, 'run-unknown', async () => undefined)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
