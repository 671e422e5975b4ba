/**
 * Which view is open.
 */
import { create } from 'zustand';
import type { ViewId } from '../views/view-catalog';

export interface ViewState {
  activeView: ViewId;
  openView(view: ViewId): void;
}

export const useViewStore = create<ViewState>((set) => ({
  activeView: 'matrix',
  openView: (activeView) => set({ activeView }),
}));
