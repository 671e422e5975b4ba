/**
 * The one time formatter: both zones labelled, across the platform's daylight-saving change, a
 * relative time, and durations in ms, s, min and h.
 */
import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoment, formatRelative, zoneLabel } from '../../src/shared/time-format';

const paris = { platformZone: 'Europe/Paris' };

describe('time as the cockpit shows it', () => {
  it('shows the platform zone and the local one, labelled, with how long ago', () => {
    const now = Date.parse('2026-12-02T13:05:00Z');
    expect(formatMoment('2026-12-02T13:02:00Z', { ...paris, localZone: 'America/New_York', now })).toBe(
      '14:02 Paris · 08:02 local · 3 min ago',
    );
    expect(formatMoment('2026-12-02T13:02:00Z', { ...paris, localZone: 'Europe/Paris', now })).toBe(
      '14:02 Paris (your time) · 3 min ago',
    );
    expect(formatMoment('2026-12-03T08:00:00Z', { ...paris, localZone: 'UTC', now })).toBe(
      'Thu 3 Dec 09:00 Paris · Thu 3 Dec 08:00 local · in 18 h 55 min',
    );
  });

  it('follows each zone across a daylight-saving change', () => {
    // Paris leaves summer time on 25 Oct 2026 at 03:00 (UTC+2 → UTC+1); New York on 1 Nov.
    const before = '2026-10-24T10:00:00Z';
    const after = '2026-10-26T10:00:00Z';
    const now = Date.parse('2026-10-26T10:00:00Z');
    const options = { ...paris, localZone: 'America/New_York', now, isAbsoluteOnly: true };
    expect(formatMoment(before, options)).toBe('Sat 24 Oct 12:00 Paris · Sat 24 Oct 06:00 local');
    expect(formatMoment(after, options)).toBe('11:00 Paris · 06:00 local');
    // London stays an hour behind Paris on both sides of the change: each zone keeps its own offset.
    expect(formatMoment(after, { ...options, localZone: 'Europe/London' })).toBe('11:00 Paris · 10:00 local');
  });

  it('says durations in ms, s, min and h, and relative times in whole units', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(20_400)).toBe('20 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 7_200_000)).toBe('3 d 2 h');
    expect(formatRelative('2026-12-02T13:00:02Z', Date.parse('2026-12-02T13:00:00Z'))).toBe('just now');
    expect(formatRelative('2026-12-02T12:56:48Z', Date.parse('2026-12-02T13:00:00Z'))).toBe('3 min ago');
    expect(zoneLabel('America/Los_Angeles')).toBe('Los Angeles');
  });
});
