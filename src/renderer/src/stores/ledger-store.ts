/**
 * The audit trail as the Ledger view shows it: the current filter, the page of records it
 * matched, and the last verification of the chain.
 */
import { create } from 'zustand';
import { useViewStore } from './view-store';
import type { LedgerPage } from '../../../shared/contract';
import type { LedgerAction } from '../../../shared/ledger-actions';
import type { LedgerVerification } from '../../../shared/ledger-record';

export interface LedgerFilterState {
  search: string;
  environment?: string;
  service?: string;
  action?: LedgerAction;
  /** The first day shown (YYYY-MM-DD, the reader's day). */
  fromDay?: string;
  /** The last day shown (YYYY-MM-DD, included). */
  toDay?: string;
}

/** The filter as the core takes it: days become the instants they start and end at, locally. */
export function ledgerQueryFilter(filter: LedgerFilterState, search: string) {
  const startOf = (day: string) => new Date(`${day}T00:00:00`);
  const nextDay = (day: string) => {
    const date = startOf(day);
    date.setDate(date.getDate() + 1);
    return date;
  };
  return {
    search: search || undefined,
    environment: filter.environment,
    service: filter.service,
    action: filter.action,
    from: filter.fromDay ? startOf(filter.fromDay).toISOString() : undefined,
    to: filter.toDay ? nextDay(filter.toDay).toISOString() : undefined,
  };
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

/** Opens the Ledger view on exactly these records (one run, one cell): every other filter cleared. */
export function openLedgerOn(filter: Partial<LedgerFilterState>): void {
  useLedgerStore.setState({ filter: { search: '', ...filter } });
  useViewStore.getState().openView('ledger');
}
