/**
 * The service matrix as the renderer holds it: the snapshot from the core, patched by events that
 * carry only changed cells and rows; plus which cell is selected and how the grid is filtered.
 */
import { create } from 'zustand';
import type { HostReachability, MatrixCell, MatrixRow, MatrixSnapshot } from '../../../shared/contract';

export type MatrixStatusFilter = 'all' | 'problems' | 'drift';

export interface MatrixStoreState {
  snapshot?: MatrixSnapshot;
  selectedService?: string;
  /** The selected cell's environment (none: the service's row was chosen). */
  selectedEnvironment?: string;
  textFilter: string;
  statusFilter: MatrixStatusFilter;
  setSnapshot(snapshot: MatrixSnapshot): void;
  applyCells(cells: MatrixCell[], connectivity: HostReachability[], asOf: string): void;
  applyRows(rows: MatrixRow[]): void;
  select(service: string | undefined, environment?: string): void;
  setTextFilter(text: string): void;
  setStatusFilter(filter: MatrixStatusFilter): void;
}

const sameCell = (a: MatrixCell, b: MatrixCell) => a.service === b.service && a.environment === b.environment;

export const useMatrixStore = create<MatrixStoreState>((set) => ({
  textFilter: '',
  statusFilter: 'all',
  setSnapshot: (snapshot) => set({ snapshot }),
  applyCells: (cells, connectivity, asOf) =>
    set((state) =>
      state.snapshot
        ? {
            snapshot: {
              ...state.snapshot,
              cells: state.snapshot.cells.map((cell) => cells.find((changed) => sameCell(changed, cell)) ?? cell),
              connectivity,
              asOf,
              isFromCache: false,
            },
          }
        : {},
    ),
  applyRows: (rows) =>
    set((state) =>
      state.snapshot
        ? {
            snapshot: {
              ...state.snapshot,
              rows: state.snapshot.rows.map((row) => rows.find((changed) => changed.service === row.service) ?? row),
            },
          }
        : {},
    ),
  select: (selectedService, selectedEnvironment) =>
    set({ selectedService, selectedEnvironment: selectedService ? selectedEnvironment : undefined }),
  setTextFilter: (textFilter) => set({ textFilter }),
  setStatusFilter: (statusFilter) => set({ statusFilter }),
}));

/** Whether a service row passes the filters. */
export function rowMatches(row: MatrixRow, cells: MatrixCell[], text: string, filter: MatrixStatusFilter): boolean {
  const needle = text.trim().toLowerCase();
  if (needle && !row.service.includes(needle) && !row.name.toLowerCase().includes(needle)) return false;
  const own = cells.filter((cell) => cell.service === row.service);
  if (filter === 'problems') return own.some((cell) => cell.status !== 'up');
  if (filter === 'drift') return row.hasPromotionPending || own.some((cell) => cell.isBehindLatestTag);
  return true;
}
