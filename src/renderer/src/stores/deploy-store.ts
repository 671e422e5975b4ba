/**
 * The deploy the Deploy view follows: the plan on screen (and whether one is being made), the
 * run it started, each step's progress and how it ended. A new plan, or another environment,
 * clears every step state: what is shown is always the plan on screen.
 * (Log text never goes through here: see terminal-registry.)
 */
import { create } from 'zustand';
import type { DeployPlanView, DeployRuns, DeployStepProgress } from '../../../shared/contract';

export interface DeployStoreState {
  plan?: DeployPlanView;
  /** A plan is being computed: nothing on screen may be started. */
  isPlanning: boolean;
  runId?: string;
  /** The environment of the followed run. */
  runEnvironment?: string;
  logFile?: string;
  /** When the followed run started and ended here (epoch ms), for its elapsed time. */
  startedAt?: number;
  endedAt?: number;
  steps: Record<string, DeployStepProgress>;
  outcome?: { status: 'succeeded' | 'failed' | 'cancelled'; detail: string };
  /** Runs a crash interrupted, waiting for resume or abandon. */
  interrupted: DeployRuns['interrupted'];
  setRuns(runs: DeployRuns): void;
  dropInterrupted(runId: string): void;
  planning(): void;
  setPlan(plan: DeployPlanView | undefined): void;
  started(runId: string, plan: DeployPlanView, logFile: string): void;
  stepChanged(runId: string, step: DeployStepProgress): void;
  finished(runId: string, status: 'succeeded' | 'failed' | 'cancelled', detail: string): void;
}

/** Whether the followed run is still going. */
export const selectIsRunning = (state: DeployStoreState) => state.runId !== undefined && state.outcome === undefined;

export const useDeployStore = create<DeployStoreState>((set) => ({
  steps: {},
  interrupted: [],
  isPlanning: false,
  setRuns: (runs) =>
    set((state) => {
      const running = runs.running[0];
      // A window reloaded mid-deploy follows the run again (its plan arrives with the next steps).
      const follow =
        running && !state.runId
          ? { runId: running.runId, runEnvironment: running.environment, steps: {}, outcome: undefined }
          : {};
      return { interrupted: runs.interrupted, ...follow };
    }),
  dropInterrupted: (runId) => set((state) => ({ interrupted: state.interrupted.filter((run) => run.runId !== runId) })),
  planning: () =>
    set((state) =>
      selectIsRunning(state)
        ? {}
        : { isPlanning: true, plan: undefined, steps: {}, outcome: undefined, runId: undefined },
    ),
  setPlan: (plan) =>
    set((state) =>
      selectIsRunning(state)
        ? { plan, isPlanning: false }
        : { plan, isPlanning: false, steps: {}, outcome: undefined, runId: undefined, runEnvironment: undefined },
    ),
  started: (runId, plan, logFile) =>
    set({
      runId,
      runEnvironment: plan.environment,
      plan,
      logFile,
      steps: {},
      outcome: undefined,
      isPlanning: false,
      startedAt: Date.now(),
      endedAt: undefined,
    }),
  stepChanged: (runId, step) =>
    set((state) => (state.runId === runId ? { steps: { ...state.steps, [step.service]: step } } : {})),
  finished: (runId, status, detail) =>
    set((state) => (state.runId === runId ? { outcome: { status, detail }, endedAt: Date.now() } : {})),
}));
