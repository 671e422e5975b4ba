/**
 * The core's diagnostic log. Every line passes through `redact` first, so a secret the vault knows
 * never reaches a log, whatever the message or the error's stack says.
 */

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** Where finished lines go (stderr by default). */
  write?: (line: string) => void;
  /** Masks secrets in a finished line; identity until the vault registers values. */
  redact?: (text: string) => string;
  clock?: () => Date;
}

/** A logger writing one JSON line per entry. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const redact = options.redact ?? ((text: string) => text);
  const clock = options.clock ?? (() => new Date());
  const log = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    const entry = { time: clock().toISOString(), level, message, ...serializeContext(context) };
    write(redact(JSON.stringify(entry)));
  };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function serializeContext(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!context) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}
