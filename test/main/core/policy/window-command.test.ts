import { describe, expect, it } from 'vitest';
import { buildStartedCockpit } from '../../../helpers/cockpit-builder';

describe('policy:window on the sample platform', () => {
  it('answers with the window of an environment at the cockpit’s clock', async () => {
    const { cockpit } = await buildStartedCockpit({ clock: () => new Date('2026-11-24T15:00:00+01:00') });
    try {
      expect(await cockpit.dispatch('policy:window', { environment: 'production' })).toMatchObject({
        ok: true,
        value: { isOpen: true, secondsLeft: 3_600, closesAt: '2026-11-24T16:00:00.000+01:00' },
      });
      expect(await cockpit.dispatch('policy:window', { environment: 'staging' })).toMatchObject({
        ok: true,
        value: { isOpen: true, hasWindows: false },
      });
      expect(await cockpit.dispatch('policy:window', { environment: 'qa' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    } finally {
      cockpit.stop();
    }
  });
});
