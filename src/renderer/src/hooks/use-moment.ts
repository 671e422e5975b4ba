/**
 * Times in the views, the one way (see `shared/time-format`): in the platform's zone and the
 * reader's, labelled, with a relative part that stays current (re-rendered every 30 s).
 */
import { useInterval } from '@mantine/hooks';
import { useState } from 'react';
import { formatMoment, type MomentOptions } from '../../../shared/time-format';
import { usePlatformStore } from '../stores/platform-store';

export function useMoment(): (iso: string | undefined, options?: MomentOptions) => string {
  const platformZone = usePlatformStore((state) => state.current?.platform?.timeZone);
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), 30_000, { autoInvoke: true });
  return (iso, options = {}) =>
    iso ? formatMoment(iso, { ...(platformZone ? { platformZone } : {}), now, ...options }) : '—';
}
