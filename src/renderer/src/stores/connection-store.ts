/**
 * The link to the core: what it said about itself and when it last showed it was alive.
 */
import { create } from 'zustand';
import type { AppInfo } from '../../../shared/contract';

export interface ConnectionState {
  appInfo?: AppInfo;
  infoError?: string;
  lastHeartbeatAt?: number;
  heartbeatCount: number;
  /** Since when the link to the core is lost (the loopback socket closed); undefined while it holds. */
  linkLostAt?: number;
  setLinkLost(isLost: boolean, at: number): void;
  setAppInfo(info: AppInfo): void;
  setInfoError(message: string): void;
  recordHeartbeat(receivedAt: number): void;
}

export const useConnectionStore = create<ConnectionState>((set) => ({
  heartbeatCount: 0,
  setLinkLost: (isLost, at) => set((state) => ({ linkLostAt: isLost ? (state.linkLostAt ?? at) : undefined })),
  setAppInfo: (appInfo) => set({ appInfo, infoError: undefined }),
  setInfoError: (infoError) => set({ infoError }),
  recordHeartbeat: (receivedAt) =>
    set((state) => ({ lastHeartbeatAt: receivedAt, heartbeatCount: state.heartbeatCount + 1 })),
}));

/** How long without a heartbeat before the core counts as unresponsive. */
export const heartbeatStaleAfterMs = 15_000;

export type ConnectionStatus = 'connecting' | 'connected' | 'unresponsive' | 'disconnected';

/** The status shown in the status bar, derived from the store and the current time. */
export function connectionStatus(
  state: Pick<ConnectionState, 'appInfo' | 'infoError' | 'lastHeartbeatAt' | 'linkLostAt'>,
  now: number,
): ConnectionStatus {
  if (state.linkLostAt !== undefined) return 'disconnected';
  if (state.infoError && !state.appInfo) return 'disconnected';
  if (!state.appInfo) return 'connecting';
  if (state.lastHeartbeatAt === undefined) return 'connected';
  return now - state.lastHeartbeatAt > heartbeatStaleAfterMs ? 'unresponsive' : 'connected';
}
