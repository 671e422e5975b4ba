/**
 * The rollback the wizard follows: its progress, the question it waits on, its notices and the
 * tail of its output, fed by `rollback:progress` and `rollback:output`.
 */
import { create } from 'zustand';
import type { EventPayload } from '../../../shared/contract';

export type RollbackProgress = EventPayload<'rollback:progress'>;

/** The output kept for display; the full log is in the ledger's steps and the deploy logs. */
const maxOutputCharacters = 100_000;

export interface RollbackStoreState {
  rollbackId?: string;
  progress?: RollbackProgress;
  output: string;
  /** A service and environment the wizard should start from (e.g. from a post-deploy alert). */
  suggestion?: { service: string; environment: string };
  suggest(suggestion: { service: string; environment: string }): void;
  started(rollbackId: string): void;
  progressed(update: RollbackProgress): void;
  appendOutput(rollbackId: string, text: string): void;
  reset(): void;
}

export const useRollbackStore = create<RollbackStoreState>((set) => ({
  output: '',
  suggest: (suggestion) => set({ suggestion }),
  started: (rollbackId) =>
    set((state) => ({
      rollbackId,
      // The first progress event can arrive before the start command's answer.
      progress: state.progress?.rollbackId === rollbackId ? state.progress : undefined,
      output: state.progress?.rollbackId === rollbackId ? state.output : '',
    })),
  progressed: (update) =>
    set((state) =>
      !state.rollbackId || state.rollbackId === update.rollbackId
        ? { progress: update, rollbackId: update.rollbackId }
        : {},
    ),
  appendOutput: (rollbackId, text) =>
    set((state) =>
      state.rollbackId === rollbackId ? { output: `${state.output}${text}`.slice(-maxOutputCharacters) } : {},
    ),
  reset: () => set({ rollbackId: undefined, progress: undefined, output: '' }),
}));
