/**
 * The error the core throws when it knows what went wrong; the dispatcher turns it into a Reply.
 */
import type { CockpitErrorShape, ErrorCode } from '../../shared/reply';

/** An expected failure with a code the UI can act on and a message saying what to do. */
export class CockpitError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'CockpitError';
    this.code = code;
    this.details = details;
  }

  /** The shape that crosses a transport. */
  toShape(): CockpitErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
