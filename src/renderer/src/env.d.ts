import type { CockpitBridge } from '../../shared/bridge-api';

declare global {
  interface Window {
    /** Provided by the preload (Electron) or the loopback shim (browser). */
    readonly cockpit?: CockpitBridge;
  }
}

export {};
