/**
 * The platform the core works on, as it last said.
 */
import { create } from 'zustand';
import type { PlatformState } from '../../../shared/contract';

export interface PlatformStoreState {
  current?: PlatformState;
  setCurrent(current: PlatformState): void;
}

export const usePlatformStore = create<PlatformStoreState>((set) => ({
  setCurrent: (current) => set({ current }),
}));
