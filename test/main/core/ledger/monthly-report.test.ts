import { describe, expect, it } from 'vitest';
import { loadPlatformFile } from '../../../../src/main/core/platform/load';
import { buildMonthlyReport, reportHtml, reportMarkdown } from '../../../../src/main/core/ledger/monthly-report';
import { samplePlatformFile } from '../../../helpers/cockpit-builder';
import { recordsAt } from './ledger-builder';

describe('the monthly report’s times', () => {
  it('are in the platform’s zone, labelled, with the date, across its daylight-saving change', async () => {
    const loaded = await loadPlatformFile(samplePlatformFile);
    if (!loaded.ok) throw new Error('the sample platform does not load');
    const records = await recordsAt([
      // Paris is UTC+2 until 25 Oct 2026 03:00, UTC+1 after.
      [
        '2026-10-24T21:30:00Z',
        { action: 'override', status: 'succeeded', environment: 'production', summary: 'gates passed for an hour' },
      ],
      [
        '2026-10-26T21:30:00Z',
        {
          action: 'rollback.finished',
          status: 'succeeded',
          environment: 'production',
          services: ['auth-service'],
          durationMs: 7 * 60_000,
          summary: 'auth-service rolled back',
          details: { changedSomething: true, level: 1 },
        },
      ],
    ]);
    const report = buildMonthlyReport({
      platform: loaded.platform,
      month: '2026-10',
      records,
      environments: [],
      rotations: [],
      now: new Date('2026-11-01T08:00:00Z'),
    });
    const markdown = reportMarkdown(report);
    expect(markdown).toContain('| Sat 24 Oct 2026 23:30 Paris | override (not independent) |');
    expect(markdown).toContain('| Mon 26 Oct 2026 22:30 Paris | auth-service | production | 1 | succeeded | 7 min |');
    expect(markdown).toContain(
      'Generated Sun 1 Nov 2026 09:00 Paris from the ledger; times in the platform’s zone (Europe/Paris).',
    );
    expect(markdown).not.toMatch(/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/);
    expect(reportHtml(report)).toContain('Generated Sun 1 Nov 2026 09:00 Paris');
  });
});
