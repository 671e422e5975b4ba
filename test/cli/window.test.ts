import { describe, expect, it } from 'vitest';
import { runCockpit } from '../helpers/cockpit-cli';

const sample = 'resources/platforms/penpal-ai.yaml';
/** The reader's clock in UTC, the platform's in Paris: both are shown, labelled. */
const readerInUtc = { ...process.env, TZ: 'UTC' };

describe('cockpit window', () => {
  it('exits 0 inside the window, with the time left', async () => {
    const result = await runCockpit(
      ['window', 'production', '--platform', sample, '--at', '2026-11-24T15:30:00+01:00'],
      readerInUtc,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'production: Open: the 14:00–16:00 window (Europe/Paris).',
        'Closes at 16:00 Paris · 15:00 local · in 30 min.',
        'Windows: tue, wed, thu 14:00–16:00 (Europe/Paris).',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 outside it, saying why and when the next window opens; --json gives the same as data', async () => {
    const text = await runCockpit(
      ['window', 'production', '--platform', sample, '--at', '2026-12-25T15:00:00+01:00'],
      readerInUtc,
    );
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('production: Closed: 2026-12-25 is a holiday.\n');
    expect(text.stdout).toContain(
      'Next window opens at Tue 29 Dec 14:00 Paris · Tue 29 Dec 13:00 local · in 3 d 23 h.\n',
    );
    const json = await runCockpit([
      'window',
      'production',
      '--platform',
      sample,
      '--at',
      '2026-11-23T09:00:00Z',
      '--json',
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      environment: 'production',
      isOpen: false,
      reason: 'Closed: no window on Monday.',
      nextOpensAt: '2026-11-24T14:00:00.000+01:00',
    });
  });

  it('exits 2 on a time that is not ISO or an unknown environment', async () => {
    const badTime = await runCockpit(['window', 'production', '--platform', sample, '--at', 'tomorrow']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--at "tomorrow" is not an ISO time');
    const badEnvironment = await runCockpit(['window', 'qa', '--platform', sample]);
    expect(badEnvironment.code).toBe(2);
    expect(badEnvironment.stderr).toContain('unknown environment "qa"; expected one of staging, production');
  });
});
