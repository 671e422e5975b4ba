/**
 * How this laptop stands with the team's mirror, fed by `team:status` and `team:sync-changed`.
 */
import { create } from 'zustand';
import type { TeamSyncView } from '../../../shared/contract';

export interface TeamStoreState {
  sync?: TeamSyncView;
  setSync(sync: TeamSyncView): void;
}

export const useTeamStore = create<TeamStoreState>((set) => ({
  sync: undefined,
  setSync: (sync) => set({ sync }),
}));

function ago(fromIso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1_000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
}

/** "team synced 12 s ago", or "offline since 14:02 — 3 records to share"; none without a mirror. */
export function teamSyncText(
  sync: TeamSyncView | undefined,
  now: number,
): { label: string; color: string } | undefined {
  if (!sync?.isConfigured) return undefined;
  if (sync.offlineSince) {
    const since = new Date(sync.offlineSince).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    return {
      label: `Team: offline since ${since}${sync.toShare > 0 ? ` — ${sync.toShare} record${sync.toShare === 1 ? '' : 's'} to share` : ''}`,
      color: 'orange',
    };
  }
  return sync.lastSyncedAt
    ? { label: `Team synced ${ago(sync.lastSyncedAt, now)}`, color: 'dimmed' }
    : { label: 'Team: syncing…', color: 'dimmed' };
}
