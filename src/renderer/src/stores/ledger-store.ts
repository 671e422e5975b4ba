/**
 * The audit trail as the Ledger view shows it: the current filter, the page of records it
 * matched, and the last verification of the chain.
 */
import { create } from 'zustand';
import type { LedgerPage } from '../../../shared/contract';
import type { LedgerAction } from '../../../shared/ledger-actions';
import type { LedgerVerification } from '../../../shared/ledger-record';

export interface LedgerFilterState {
  search: string;
  environment?: string;
  action?: LedgerAction;
}

export interface LedgerStoreState {
  filter: LedgerFilterState;
  page?: LedgerPage;
  verification?: LedgerVerification;
  /** Bumped when new records arrive, so the view reloads its page. */
  revision: number;
  loadError?: string;
  setFilter(change: Partial<LedgerFilterState>): void;
  setPage(page: LedgerPage): void;
  setVerification(verification: LedgerVerification): void;
  setLoadError(message: string | undefined): void;
  noteAppended(): void;
}

export const useLedgerStore = create<LedgerStoreState>((set) => ({
  filter: { search: '' },
  revision: 0,
  setFilter: (change) => set((state) => ({ filter: { ...state.filter, ...change } })),
  setPage: (page) => set({ page, verification: page.verification, loadError: undefined }),
  setVerification: (verification) => set({ verification }),
  setLoadError: (loadError) => set({ loadError }),
  noteAppended: () => set((state) => ({ revision: state.revision + 1 })),
}));
