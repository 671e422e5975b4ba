/**
 * The platform's secrets and their rotation, fed by `rotation:list` and each checked step.
 */
import { create } from 'zustand';
import type { SecretRotation } from '../../../shared/contract';

export interface RotationStoreState {
  secrets: SecretRotation[];
  setSecrets(secrets: SecretRotation[]): void;
}

export const useRotationStore = create<RotationStoreState>((set) => ({
  secrets: [],
  setSecrets: (secrets) => set({ secrets }),
}));
