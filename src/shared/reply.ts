/**
 * Typed results that cross every boundary (IPC, loopback bridge, CLI).
 *
 * Handlers never throw across a transport: an error thrown through `ipcMain.handle` reaches the
 * renderer with only its message, so every command answers with a `Reply` instead.
 */

/** The error codes the UI and scripts can act on. */
export const errorCodes = [
  'BAD_INPUT',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'TRANSPORT',
  'INTERNAL',
  'NOT_FOUND',
  'NO_PLATFORM',
  'KEYCHAIN_UNAVAILABLE',
  'GIT_FAILED',
  'GIT_CREDENTIALS',
  'REPO_UNSAFE',
  'DEMO_FAILED',
  'LOCKED',
  'LEDGER_INVALID',
  'NOT_CONFIGURED',
  'RELEASE_REFUSED',
  'PUSH_FAILED',
  'FORBIDDEN',
  'WINDOW_CLOSED',
  'GATE_BLOCKED',
  'CONFIRMATION_REQUIRED',
  'PLAN_STALE',
  'PLAN_EXPIRED',
  'VERSION_MARKED_BAD',
  'SIGNING_KEY',
  'IDENTITY_UNVERIFIED',
  'TEAM_OFFLINE',
  'IMPORT_FAILED',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** An error as it travels: a code to act on, a message saying what to do, optional details. */
export interface CockpitErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** The answer to every command. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: CockpitErrorShape };

/** A successful reply. */
export function ok<T>(value: T): Reply<T> {
  return { ok: true, value };
}

/** A failed reply. */
export function fail<T = never>(code: ErrorCode, message: string, details?: unknown): Reply<T> {
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } };
}
