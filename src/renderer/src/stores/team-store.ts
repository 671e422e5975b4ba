/**
 * How this laptop stands with the team's mirror, fed by `team:status` and `team:sync-changed`.
 */
import { create } from 'zustand';
import type { TeamSyncView } from '../../../shared/contract';
import { formatMoment, formatRelative } from '../../../shared/time-format';

export interface TeamStoreState {
  sync?: TeamSyncView;
  setSync(sync: TeamSyncView): void;
}

export const useTeamStore = create<TeamStoreState>((set) => ({
  sync: undefined,
  setSync: (sync) => set({ sync }),
}));

/** "team synced 12 s ago", or "offline since 14:02 — 3 records to share"; none without a mirror. */
export function teamSyncText(
  sync: TeamSyncView | undefined,
  now: number,
): { label: string; color: string } | undefined {
  if (!sync?.isConfigured) return undefined;
  if (sync.offlineSince) {
    const since = formatMoment(sync.offlineSince, { now, isAbsoluteOnly: true });
    return {
      label: `Team: offline since ${since}${sync.toShare > 0 ? ` — ${sync.toShare} record${sync.toShare === 1 ? '' : 's'} to share` : ''}`,
      color: 'orange',
    };
  }
  return sync.lastSyncedAt
    ? { label: `Team synced ${formatRelative(sync.lastSyncedAt, now)}`, color: 'dimmed' }
    : { label: 'Team: syncing…', color: 'dimmed' };
}
