/**
 * Which view is open, and what it was opened for: an action elsewhere (a Matrix cell's "Deploy
 * this service") opens a view with its service and environment chosen.
 */
import { create } from 'zustand';
import type { ViewId } from '../views/view-catalog';

/** What a view opens on; each view reads the fields it knows. */
export interface ViewIntent {
  service?: string;
  environment?: string;
}

export interface ViewState {
  activeView: ViewId;
  /** Set by the last `openView`, for the view it opened. */
  intent?: { view: ViewId } & ViewIntent;
  openView(view: ViewId, intent?: ViewIntent): void;
}

export const useViewStore = create<ViewState>((set) => ({
  activeView: 'matrix',
  openView: (activeView, intent) => set({ activeView, intent: intent ? { view: activeView, ...intent } : undefined }),
}));

/** What `view` was opened for, read once when it mounts. */
export function intentFor(view: ViewId): ViewIntent | undefined {
  const intent = useViewStore.getState().intent;
  return intent?.view === view ? intent : undefined;
}
