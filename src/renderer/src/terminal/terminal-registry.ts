/**
 * Where deploy logs go: straight into the mounted xterm.js terminal, never through React state.
 * Each batch is acknowledged to main once xterm has parsed it (its write callback), which is how
 * main's log bus knows when to pause and resume: the terminal never has more than about one
 * watermark plus one batch waiting. What was written is also kept in a bounded transcript (the
 * full log is in the run's file in main), so a terminal mounted again — the Deploy view left and
 * opened again — shows the live run where it was; output that arrives while no terminal is
 * mounted is acknowledged at once. The transcript keeps each batch's service and arrival time, so
 * the terminal can be shown again with per-line times or only some services' lines.
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

/** How the terminal shows the log: with each line's arrival time, only some services. */
export interface TerminalView {
  showTimes: boolean;
  /** The services whose lines are shown; all when empty. */
  services: string[];
}

/** What was shown: a service's log text with when it arrived, or a line of the cockpit's own. */
type TranscriptEntry = { service: string; text: string; at: number } | { service?: undefined; text: string };

let sink: TerminalSink | undefined;
let transcript: TranscriptEntry[] = [];
let transcriptChars = 0;
let view: TerminalView = { showTimes: false, services: [] };
const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const colours = new Map<string, string>();
let sendAcknowledgement: ((runId: string, characters: number) => void) | undefined;
const unsentAcknowledgements = new Map<string, number>();
let acknowledgementTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Each service's lines get a coloured prefix, so interleaved waves stay readable; with `at`, the
 * time the line reached the cockpit comes first.
 */
export function formatChunk(service: string, text: string, at?: number): string {
  if (!colours.has(service)) colours.set(service, palette[colours.size % palette.length]!);
  const time = at === undefined ? '' : `\u001b[2m${clock.format(at)}\u001b[0m `;
  const prefix = `${time}\u001b[${colours.get(service)}m${service.padEnd(18)}\u001b[0m│ `;
  return text.replace(/\r?\n/g, '\r\n').replace(/(^|\r\n)(?=[^\r\n])/g, `$1${prefix}`);
}

/** An entry as the view shows it; empty when its service is filtered out. */
function shown(entry: TranscriptEntry): string {
  if (entry.service === undefined) return entry.text;
  if (view.services.length > 0 && !view.services.includes(entry.service)) return '';
  return formatChunk(entry.service, entry.text, view.showTimes ? entry.at : undefined);
}

/** Shows the log another way: the terminal is drawn again from the transcript. */
export function setTerminalView(next: TerminalView): void {
  view = next;
  if (!sink) return;
  sink.reset?.();
  for (const entry of transcript) {
    const text = shown(entry);
    if (text) sink.write(text);
  }
}

export function terminalView(): TerminalView {
  return view;
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
  const at = Date.now();
  const entries = chunks.map((chunk) => ({ service: chunk.service, text: chunk.text, at }));
  for (const entry of entries) remember(entry);
  const formatted = entries.map(shown).join('');
  // What the view leaves out is acknowledged as shown: main never waits for it.
  if (sink && formatted) sink.write(formatted, () => acknowledge(runId, characters));
  else acknowledge(runId, characters);
}

/** Mounts a terminal, showing what was written so far; returns the function that unmounts it. */
export function attachTerminal(terminal: TerminalSink): () => void {
  sink = terminal;
  for (const entry of transcript) {
    const text = shown(entry);
    if (text) terminal.write(text);
  }
  return () => {
    if (sink === terminal) sink = undefined;
  };
}

export function writeNotice(text: string): void {
  const line = `\r\n\u001b[1m${text}\u001b[0m\r\n`;
  remember({ text: line });
  sink?.write(line);
}

/** Replaces what the terminal shows with a past run's log (as its file holds it). */
export function showLog(title: string, text: string): void {
  transcript = [];
  transcriptChars = 0;
  sink?.reset?.();
  writeNotice(title);
  const body = text.replace(/\r?\n/g, '\r\n');
  remember({ text: body });
  sink?.write(body);
}

function remember(entry: TranscriptEntry): void {
  transcript.push(entry);
  transcriptChars += entry.text.length;
  while (transcriptChars > maxTranscriptChars && transcript.length > 1)
    transcriptChars -= transcript.shift()!.text.length;
}
