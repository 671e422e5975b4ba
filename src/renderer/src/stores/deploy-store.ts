/**
 * The deploy the Deploy view follows: its plan, each step's progress, and how it ended.
 * (Log text never goes through here: see terminal-registry.)
 */
import { create } from 'zustand';
import type { DeployPlanView, DeployStepProgress } from '../../../shared/contract';

export interface DeployStoreState {
  plan?: DeployPlanView;
  runId?: string;
  logFile?: string;
  steps: Record<string, DeployStepProgress>;
  outcome?: { status: 'succeeded' | 'failed' | 'cancelled'; detail: string };
  setPlan(plan: DeployPlanView | undefined): void;
  started(runId: string, plan: DeployPlanView, logFile: string): void;
  stepChanged(runId: string, step: DeployStepProgress): void;
  finished(runId: string, status: 'succeeded' | 'failed' | 'cancelled', detail: string): void;
}

export const useDeployStore = create<DeployStoreState>((set) => ({
  steps: {},
  setPlan: (plan) => set({ plan }),
  started: (runId, plan, logFile) => set({ runId, plan, logFile, steps: {}, outcome: undefined }),
  stepChanged: (runId, step) =>
    set((state) => (state.runId === runId ? { steps: { ...state.steps, [step.service]: step } } : {})),
  finished: (runId, status, detail) => set((state) => (state.runId === runId ? { outcome: { status, detail } } : {})),
}));
