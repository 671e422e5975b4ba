/**
 * Where deploy logs go: straight into the mounted xterm.js terminal, never through React state.
 * Each batch is acknowledged to main once xterm has parsed it (its write callback), which is how
 * main's log bus knows when to pause and resume: the terminal never has more than about one
 * watermark plus one batch waiting. Output that arrives while no terminal is mounted waits in a
 * bounded buffer (the full log is in the run's file in main) and is acknowledged at once.
 */

export interface TerminalSink {
  write(text: string, parsed?: () => void): void;
}

export interface LogBatchChunk {
  service: string;
  text: string;
}

const palette = ['36', '35', '33', '32', '34', '96', '95', '93', '92', '94'];
const maxPendingChars = 2_000_000;
/** Acknowledgements are sent every this many characters (VS Code's figure), or soon after output stops. */
const acknowledgeEvery = 5_000;
const acknowledgeAfterMs = 50;

let sink: TerminalSink | undefined;
let pending: string[] = [];
let pendingChars = 0;
const colours = new Map<string, string>();
let sendAcknowledgement: ((runId: string, characters: number) => void) | undefined;
const unsentAcknowledgements = new Map<string, number>();
let acknowledgementTimer: ReturnType<typeof setTimeout> | undefined;

/** Each service's lines get a coloured prefix, so interleaved waves stay readable. */
export function formatChunk(service: string, text: string): string {
  if (!colours.has(service)) colours.set(service, palette[colours.size % palette.length]!);
  const prefix = `\u001b[${colours.get(service)}m${service.padEnd(18)}\u001b[0m│ `;
  return text.replace(/\r?\n/g, '\r\n').replace(/(^|\r\n)(?=[^\r\n])/g, `$1${prefix}`);
}

/** Where acknowledgements go (the `deploy:log-ack` command). */
export function setAcknowledgementSender(send: ((runId: string, characters: number) => void) | undefined): void {
  sendAcknowledgement = send;
}

/** Tells main that `characters` of a run's log were shown (or will never be). */
export function acknowledge(runId: string, characters: number): void {
  if (characters <= 0) return;
  const total = (unsentAcknowledgements.get(runId) ?? 0) + characters;
  unsentAcknowledgements.set(runId, total);
  if (total >= acknowledgeEvery) return flushAcknowledgements();
  acknowledgementTimer ??= setTimeout(flushAcknowledgements, acknowledgeAfterMs);
}

function flushAcknowledgements(): void {
  if (acknowledgementTimer) clearTimeout(acknowledgementTimer);
  acknowledgementTimer = undefined;
  for (const [runId, characters] of unsentAcknowledgements) sendAcknowledgement?.(runId, characters);
  unsentAcknowledgements.clear();
}

/** Writes one batch of a run's log; acknowledges it once the terminal has parsed it. */
export function writeBatch(runId: string, chunks: LogBatchChunk[]): void {
  const characters = chunks.reduce((sum, chunk) => sum + chunk.text.length, 0);
  const formatted = chunks.map((chunk) => formatChunk(chunk.service, chunk.text)).join('');
  if (sink) {
    sink.write(formatted, () => acknowledge(runId, characters));
    return;
  }
  pending.push(formatted);
  pendingChars += formatted.length;
  while (pendingChars > maxPendingChars && pending.length > 1) pendingChars -= pending.shift()!.length;
  acknowledge(runId, characters);
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
