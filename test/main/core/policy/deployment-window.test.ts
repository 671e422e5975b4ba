import { describe, expect, it } from 'vitest';
import { windowState } from '../../../../src/main/core/policy/deployment-window';
import { parsePlatform } from '../../../../src/main/core/platform/load';

/** The sample policy: production Tue–Thu 14:00–16:00 Europe/Paris; plus a night slot on Sundays to cross DST. */
function platformWith(policy = '') {
  const parsed = parsePlatform(
    `version: 1
id: windows
name: Windows
environments:
  - { id: staging, name: Staging, protected: false, branch: develop }
  - { id: production, name: Production, protected: true, branch: main }
services:
  - id: api
    name: API
    repo: { url: https://git.example.com/api.git }
    environments:
      production: { url: "https://api.example.com", deploy: { provider: command, command: [deploy] } }
policy:
  timeZone: Europe/Paris
  windows:
    production:
      - { days: [tue, wed, thu], from: '14:00', to: '16:00' }
      - { days: [sun], from: '01:00', to: '04:00' }
${policy}`,
    'windows.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.platform;
}

const platform = platformWith();
const at = (iso: string) => windowState(platform, 'production', new Date(iso));

describe('deployment windows in Europe/Paris', () => {
  it.each([
    ['Monday', '2026-11-23T15:00:00+01:00', false, 'Closed: no window on Monday.', '2026-11-24T14:00:00.000+01:00'],
    ['Tuesday', '2026-11-24T15:00:00+01:00', true, 'Open: the 14:00–16:00 window (Europe/Paris).', undefined],
    ['Wednesday', '2026-11-25T15:00:00+01:00', true, 'Open: the 14:00–16:00 window (Europe/Paris).', undefined],
    ['Thursday', '2026-11-26T15:00:00+01:00', true, 'Open: the 14:00–16:00 window (Europe/Paris).', undefined],
    ['Friday', '2026-11-27T15:00:00+01:00', false, 'Closed: no window on Friday.', '2026-11-29T01:00:00.000+01:00'],
    ['Saturday', '2026-11-28T15:00:00+01:00', false, 'Closed: no window on Saturday.', '2026-11-29T01:00:00.000+01:00'],
    [
      'Sunday',
      '2026-11-29T15:00:00+01:00',
      false,
      'Closed: outside the 01:00–04:00 window (Europe/Paris).',
      '2026-12-01T14:00:00.000+01:00',
    ],
  ])('on %s afternoon', (_day, iso, isOpen, reason, nextOpensAt) => {
    const state = at(iso);
    expect(state).toMatchObject({ isOpen, reason });
    expect(state.nextOpensAt).toBe(nextOpensAt);
  });

  it('opens and closes to the second: from included, to excluded', () => {
    expect(at('2026-11-24T13:59:59+01:00')).toMatchObject({
      isOpen: false,
      reason: 'Closed: outside the 14:00–16:00 window (Europe/Paris).',
      nextOpensAt: '2026-11-24T14:00:00.000+01:00',
    });
    expect(at('2026-11-24T14:00:00+01:00')).toMatchObject({
      isOpen: true,
      secondsLeft: 7_200,
      closesAt: '2026-11-24T16:00:00.000+01:00',
    });
    expect(at('2026-11-24T15:59:59+01:00')).toMatchObject({ isOpen: true, secondsLeft: 1 });
    expect(at('2026-11-24T16:00:00+01:00')).toMatchObject({
      isOpen: false,
      nextOpensAt: '2026-11-25T14:00:00.000+01:00',
    });
  });

  it('keeps wall-clock times across the spring DST change: the 01:00–04:00 slot lasts two hours that night', () => {
    // 29 March 2026: clocks go from 02:00 to 03:00 in Paris.
    expect(at('2026-03-29T01:00:00+01:00')).toMatchObject({ isOpen: true, secondsLeft: 2 * 3600 });
    expect(at('2026-03-29T03:59:59+02:00')).toMatchObject({ isOpen: true, secondsLeft: 1 });
    expect(at('2026-03-29T04:00:00+02:00').isOpen).toBe(false);
    // The Tuesday after, 14:00 Paris is 12:00 UTC (it was 13:00 UTC the week before).
    expect(at('2026-03-31T12:00:00Z').isOpen).toBe(true);
    expect(at('2026-03-24T12:00:00Z').isOpen).toBe(false);
    expect(at('2026-03-24T13:00:00Z').isOpen).toBe(true);
  });

  it('keeps wall-clock times across the autumn DST change: the 01:00–04:00 slot lasts four hours that night', () => {
    // 25 October 2026: clocks go from 03:00 back to 02:00 in Paris.
    expect(at('2026-10-25T01:00:00+02:00')).toMatchObject({ isOpen: true, secondsLeft: 4 * 3600 });
    expect(at('2026-10-25T02:30:00+01:00')).toMatchObject({ isOpen: true, secondsLeft: 5_400 });
    // 14:30 UTC is 16:30 in Paris the week before (closed), 15:30 the week after (open).
    expect(at('2026-10-27T14:30:00Z').isOpen).toBe(true);
    expect(at('2026-10-20T14:30:00Z').isOpen).toBe(false);
  });

  it('is closed on a holiday, saying so, and opens on the next window day', () => {
    const withHoliday = platformWith('  holidays: [2026-12-24]\n');
    expect(windowState(withHoliday, 'production', new Date('2026-12-24T15:00:00+01:00'))).toMatchObject({
      isOpen: false,
      reason: 'Closed: 2026-12-24 is a holiday.',
      nextOpensAt: '2026-12-27T01:00:00.000+01:00',
    });
  });

  it('is closed through a freeze, with its reason, and opens after it', () => {
    const frozen = platformWith("  freezes: [{ from: 2026-12-19, to: 2027-01-03, reason: 'end-of-year freeze' }]\n");
    expect(windowState(frozen, 'production', new Date('2026-12-22T15:00:00+01:00'))).toMatchObject({
      isOpen: false,
      reason: 'Closed: a freeze runs from 2026-12-19 to 2027-01-03 (end-of-year freeze).',
      nextOpensAt: '2027-01-05T14:00:00.000+01:00',
    });
  });

  it('leaves an environment without windows always open', () => {
    expect(windowState(platform, 'staging', new Date('2026-11-28T03:00:00Z'))).toMatchObject({
      isOpen: true,
      hasWindows: false,
    });
  });
});
