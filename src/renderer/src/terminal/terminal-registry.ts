/**
 * Where deploy logs go: straight into the mounted xterm.js terminal, never through React state.
 * Each batch is acknowledged to main once xterm has parsed it (its write callback), which is how
 * main's log bus knows when to pause and resume: the terminal never has more than about one
 * watermark plus one batch waiting. What was written is also kept in a bounded transcript (the
 * full log is in the run's file in main), so a terminal mounted again — the Deploy view left and
 * opened again — shows the live run where it was; output that arrives while no terminal is
 * mounted is acknowledged at once.
 */

export interface TerminalSink {
  write(text: string, parsed?: () => void): void;
  /** Empties the screen and the scrollback. */
  reset?(): void;
}

export interface LogBatchChunk {
  service: string;
  text: string;
}

const palette = ['36', '35', '33', '32', '34', '96', '95', '93', '92', '94'];
/** About the terminal's 5,000-line scrollback. */
const maxTranscriptChars = 1_500_000;
/** Acknowledgements are sent every this many characters (VS Code's figure), or soon after output stops. */
const acknowledgeEvery = 5_000;
const acknowledgeAfterMs = 50;

let sink: TerminalSink | undefined;
let transcript: string[] = [];
let transcriptChars = 0;
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
  remember(formatted);
  if (sink) sink.write(formatted, () => acknowledge(runId, characters));
  else acknowledge(runId, characters);
}

/** Mounts a terminal, showing what was written so far; returns the function that unmounts it. */
export function attachTerminal(terminal: TerminalSink): () => void {
  sink = terminal;
  for (const text of transcript) terminal.write(text);
  return () => {
    if (sink === terminal) sink = undefined;
  };
}

export function writeNotice(text: string): void {
  const line = `\r\n\u001b[1m${text}\u001b[0m\r\n`;
  remember(line);
  sink?.write(line);
}

/** Replaces what the terminal shows with a past run's log (as its file holds it). */
export function showLog(title: string, text: string): void {
  transcript = [];
  transcriptChars = 0;
  sink?.reset?.();
  writeNotice(title);
  const body = text.replace(/\r?\n/g, '\r\n');
  remember(body);
  sink?.write(body);
}

function remember(text: string): void {
  transcript.push(text);
  transcriptChars += text.length;
  while (transcriptChars > maxTranscriptChars && transcript.length > 1) transcriptChars -= transcript.shift()!.length;
}
