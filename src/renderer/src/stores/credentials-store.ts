/**
 * The platform's credentials as the core describes them: names, kinds, dates — never a value.
 */
import { create } from 'zustand';
import type { CredentialList } from '../../../shared/contract';

export interface CredentialsStoreState {
  list?: CredentialList;
  loadError?: string;
  setList(list: CredentialList): void;
  setLoadError(message: string | undefined): void;
}

export const useCredentialsStore = create<CredentialsStoreState>((set) => ({
  setList: (list) => set({ list, loadError: undefined }),
  setLoadError: (loadError) => set({ loadError }),
}));
