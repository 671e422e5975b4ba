/**
 * The deploy the Deploy view follows: its plan, each step's progress, and how it ended.
 * (Log text never goes through here: see terminal-registry.)
 */
import { create } from 'zustand';
import type { DeployPlanView, DeployRuns, DeployStepProgress } from '../../../shared/contract';

export interface DeployStoreState {
  plan?: DeployPlanView;
  runId?: string;
  logFile?: string;
  steps: Record<string, DeployStepProgress>;
  outcome?: { status: 'succeeded' | 'failed' | 'cancelled'; detail: string };
  /** Runs a crash interrupted, waiting for resume or abandon. */
  interrupted: DeployRuns['interrupted'];
  setRuns(runs: DeployRuns): void;
  dropInterrupted(runId: string): void;
  setPlan(plan: DeployPlanView | undefined): void;
  started(runId: string, plan: DeployPlanView, logFile: string): void;
  stepChanged(runId: string, step: DeployStepProgress): void;
  finished(runId: string, status: 'succeeded' | 'failed' | 'cancelled', detail: string): void;
}

export const useDeployStore = create<DeployStoreState>((set) => ({
  steps: {},
  interrupted: [],
  setRuns: (runs) =>
    set((state) => {
      const running = runs.running[0];
      // A window reloaded mid-deploy follows the run again (its plan arrives with the next steps).
      const follow = running && !state.runId ? { runId: running.runId, steps: {}, outcome: undefined } : {};
      return { interrupted: runs.interrupted, ...follow };
    }),
  dropInterrupted: (runId) => set((state) => ({ interrupted: state.interrupted.filter((run) => run.runId !== runId) })),
  setPlan: (plan) => set({ plan }),
  started: (runId, plan, logFile) => set({ runId, plan, logFile, steps: {}, outcome: undefined }),
  stepChanged: (runId, step) =>
    set((state) => (state.runId === runId ? { steps: { ...state.steps, [step.service]: step } } : {})),
  finished: (runId, status, detail) => set((state) => (state.runId === runId ? { outcome: { status, detail } } : {})),
}));
