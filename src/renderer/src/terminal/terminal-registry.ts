/**
 * Where deploy logs go: straight into the mounted xterm.js terminal, never through React state.
 * Output that arrives while no terminal is mounted waits in a bounded buffer (the full log is in
 * the run's file in main).
 */

export interface TerminalSink {
  write(text: string): void;
}

const palette = ['36', '35', '33', '32', '34', '96', '95', '93', '92', '94'];
const maxPendingChars = 2_000_000;

let sink: TerminalSink | undefined;
let pending: string[] = [];
let pendingChars = 0;
const colours = new Map<string, string>();

/** Each service's lines get a coloured prefix, so interleaved waves stay readable. */
export function formatChunk(service: string, text: string): string {
  if (!colours.has(service)) colours.set(service, palette[colours.size % palette.length]!);
  const prefix = `\u001b[${colours.get(service)}m${service.padEnd(18)}\u001b[0m│ `;
  return text.replace(/\r?\n/g, '\r\n').replace(/(^|\r\n)(?=[^\r\n])/g, `$1${prefix}`);
}

export function writeLog(service: string, text: string): void {
  const formatted = formatChunk(service, text);
  if (sink) {
    sink.write(formatted);
    return;
  }
  pending.push(formatted);
  pendingChars += formatted.length;
  while (pendingChars > maxPendingChars && pending.length > 1) pendingChars -= pending.shift()!.length;
}

/** Mounts a terminal; returns the function that unmounts it. */
export function attachTerminal(terminal: TerminalSink): () => void {
  sink = terminal;
  for (const text of pending) terminal.write(text);
  pending = [];
  pendingChars = 0;
  return () => {
    if (sink === terminal) sink = undefined;
  };
}

export function writeNotice(text: string): void {
  const line = `\r\n\u001b[1m${text}\u001b[0m\r\n`;
  if (sink) sink.write(line);
  else pending.push(line);
}
