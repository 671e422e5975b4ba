/**
 * The rollback the wizard follows: its id and each step's progress, fed by `rollback:progress`.
 */
import { create } from 'zustand';
import type { RollbackStepProgress } from '../../../shared/contract';

export interface RollbackStoreState {
  rollbackId?: string;
  status?: 'running' | 'succeeded' | 'failed' | 'abandoned';
  steps: RollbackStepProgress[];
  leftToDo: string[];
  elapsedMs: number;
  started(rollbackId: string): void;
  progressed(update: {
    rollbackId: string;
    status: 'running' | 'succeeded' | 'failed' | 'abandoned';
    steps: RollbackStepProgress[];
    leftToDo: string[];
    elapsedMs: number;
  }): void;
  reset(): void;
}

export const useRollbackStore = create<RollbackStoreState>((set) => ({
  steps: [],
  leftToDo: [],
  elapsedMs: 0,
  started: (rollbackId) => set({ rollbackId, status: 'running', steps: [], leftToDo: [], elapsedMs: 0 }),
  progressed: ({ rollbackId, status, steps, leftToDo, elapsedMs }) =>
    set((state) =>
      state.rollbackId === rollbackId
        ? { status, steps: steps.length > 0 ? steps : state.steps, leftToDo, elapsedMs }
        : {},
    ),
  reset: () => set({ rollbackId: undefined, status: undefined, steps: [], leftToDo: [], elapsedMs: 0 }),
}));
