/**
 * The one way the cockpit shows time, in every view, the CLI and the reports: a moment in the
 * platform's zone and in the reader's own, each labelled, with a relative time ("3 min ago",
 * "in 18 h 55 min"); a duration in ms, s, min or h — never "0.34 min". Built on Intl only, so the
 * zones' daylight-saving changes are the platform's own tables.
 */

export interface MomentOptions {
  /** The platform's zone (`policy.timeZone`), e.g. Europe/Paris. */
  platformZone?: string;
  /** The reader's zone; the runtime's by default. */
  localZone?: string;
  /** Now, in epoch milliseconds (for the relative part and "today"). */
  now?: number;
  locale?: string;
  /** Leave the relative part out. */
  isAbsoluteOnly?: boolean;
}

/** A duration: "850 ms", "12 s", "3 min 20 s", "1 h 5 min", "2 d 3 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** How far a moment is from now: "just now", "3 min ago", "in 18 h 55 min". */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const difference = at - now;
  if (Math.abs(difference) < 5_000) return 'just now';
  // Whole units only: "3 min" rather than "3 min 12 s" for a relative time.
  const span = Math.abs(difference);
  const rounded = span < 60_000 ? Math.round(span / 1_000) * 1_000 : Math.floor(span / 60_000) * 60_000;
  const text = formatDuration(rounded);
  return difference > 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A moment for a document read later, anywhere: the date always, the clock in one zone, labelled —
 * "Thu 26 Nov 2026 14:03 Paris". No relative part (it would be stale) and no reader's zone.
 */
export function formatInZone(iso: string, zone: string, locale = 'en-GB'): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const text = formatterFor(locale, zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(at)
    .replaceAll(',', '');
  return `${text} ${zoneLabel(zone)}`;
}

/** A zone's short label: "Paris" for Europe/Paris, "UTC" for UTC. */
export function zoneLabel(zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  return (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ');
}

/**
 * Building an `Intl.DateTimeFormat` costs far more than formatting with one, and a view formats
 * every moment it shows on each render: one formatter per locale, zone and shape, kept. The
 * formatters are immutable, so sharing them is safe; the set is bounded by the zones and locales
 * the cockpit meets (a handful), not by the moments.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(
  locale: string | undefined,
  zone: string | undefined,
  shape: Omit<Intl.DateTimeFormatOptions, 'timeZone'>,
): Intl.DateTimeFormat {
  const key = JSON.stringify([locale, zone, shape]);
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...(zone ? { timeZone: zone } : {}), ...shape });
    formatters.set(key, formatter);
  }
  return formatter;
}

function localZoneOf(options: MomentOptions): string {
  return options.localZone ?? formatterFor(undefined, undefined, {}).resolvedOptions().timeZone ?? 'UTC';
}

function dayOf(at: number, zone: string): string {
  return formatterFor('en-CA', zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function clockIn(at: number, zone: string, now: number, locale: string | undefined): string {
  const time = formatterFor(locale ?? 'en-GB', zone, { hour: '2-digit', minute: '2-digit' }).format(at);
  if (dayOf(at, zone) === dayOf(now, zone)) return time;
  const date = formatterFor(locale ?? 'en-GB', zone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(new Date(at).getUTCFullYear() === new Date(now).getUTCFullYear() ? {} : { year: 'numeric' }),
  }).format(at);
  return `${date} ${time}`;
}

function offsetAt(at: number, zone: string): string {
  return formatterFor('en-US', zone, { timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')!.value;
}

/**
 * A moment as a release manager reads it: "14:02 Paris · 13:02 local · 3 min ago". One clock when
 * both zones agree at that moment ("14:02 Paris (your time) · 3 min ago"); the day when it is not
 * today in that zone.
 */
export function formatMoment(iso: string, options: MomentOptions = {}): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '—';
  const now = options.now ?? Date.now();
  const local = localZoneOf(options);
  const platform = options.platformZone ?? local;
  const relative = options.isAbsoluteOnly ? '' : ` · ${formatRelative(iso, now)}`;
  const platformClock = `${clockIn(at, platform, now, options.locale)} ${zoneLabel(platform)}`;
  if (offsetAt(at, platform) === offsetAt(at, local)) return `${platformClock} (your time)${relative}`;
  return `${platformClock} · ${clockIn(at, local, now, options.locale)} local${relative}`;
}
