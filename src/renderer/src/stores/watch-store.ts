/**
 * The post-deploy watches and the alerts not dismissed yet, fed by `watch:list`, `watch:changed`
 * and `watch:alerted`.
 */
import { create } from 'zustand';
import type { DeployWatch, EventPayload } from '../../../shared/contract';

export type WatchAlerted = EventPayload<'watch:alerted'>;

export interface WatchStoreState {
  watches: DeployWatch[];
  alerts: WatchAlerted[];
  setWatches(watches: DeployWatch[]): void;
  alerted(alert: WatchAlerted): void;
  dismiss(runId: string): void;
}

export const useWatchStore = create<WatchStoreState>((set) => ({
  watches: [],
  alerts: [],
  setWatches: (watches) => set({ watches }),
  alerted: (alert) =>
    set((state) => ({ alerts: [...state.alerts.filter((known) => known.runId !== alert.runId), alert] })),
  dismiss: (runId) => set((state) => ({ alerts: state.alerts.filter((alert) => alert.runId !== runId) })),
}));
