import { describe, expect, it } from 'vitest';
import { parsePlatform } from '../../../../src/main/core/platform/load';
import { releaseCalendar } from '../../../../src/main/core/policy/release-calendar';
import { validPlatformYaml } from '../platform/platform-builder';

function platform(policy = '') {
  const base = `${validPlatformYaml}policy:
  timeZone: Europe/Paris
  windows:
    production:
      - days: [tue, wed, thu]
        from: "14:00"
        to: "16:00"
  releaseCalendar:
    productionWeekday: thu
    productionEveryWeeks: 2
    anchorDate: 2025-01-09
${policy}`;
  const result = parsePlatform(base, 'calendar.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.platform;
}

describe('the release calendar', () => {
  it('finds the next bi-weekly Thursday from the anchor date', () => {
    expect(releaseCalendar(platform(), new Date('2026-11-24T12:00:00Z')).nextProductionRelease).toBe('2026-11-26');
    expect(releaseCalendar(platform(), new Date('2026-11-27T12:00:00Z')).nextProductionRelease).toBe('2026-12-10');
    // On the release day itself, the release is today.
    expect(releaseCalendar(platform(), new Date('2026-11-26T08:00:00Z')).nextProductionRelease).toBe('2026-11-26');
  });

  it('lists when the production window next opens, in Paris time, skipping a window already closed', () => {
    const calendar = releaseCalendar(platform(), new Date('2026-11-24T12:00:00Z'));
    expect(calendar.windows).toEqual([
      {
        environment: 'production',
        slots: ['tue, wed, thu 14:00–16:00'],
        nextOpenings: [
          '2026-11-24T14:00:00.000+01:00',
          '2026-11-25T14:00:00.000+01:00',
          '2026-11-26T14:00:00.000+01:00',
        ],
      },
    ]);
    const afterClose = releaseCalendar(platform(), new Date('2026-11-26T15:30:00Z'));
    expect(afterClose.windows[0]!.nextOpenings[0]).toBe('2026-12-01T14:00:00.000+01:00');
  });

  it('stays on local time across the change to summer time', () => {
    const calendar = releaseCalendar(platform(), new Date('2027-03-26T10:00:00Z'));
    expect(calendar.windows[0]!.nextOpenings[0]).toBe('2027-03-30T14:00:00.000+02:00');
  });

  it('skips holidays and declared freezes', () => {
    const withClosures = platform(`  holidays: [2026-11-25]
  freezes:
    - { from: 2026-11-26, to: 2026-12-02, reason: Black Friday }
`);
    const calendar = releaseCalendar(withClosures, new Date('2026-11-24T16:00:00Z'));
    expect(calendar.windows[0]!.nextOpenings[0]).toBe('2026-12-03T14:00:00.000+01:00');
    expect(calendar.closedDays).toEqual(['2026-11-25', '2026-11-26…2026-12-02 (Black Friday)']);
  });
});
