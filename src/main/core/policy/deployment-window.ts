/**
 * Deployment windows (R9): is a deploy to an environment allowed at a given moment, when does the
 * next window open, how long is left. Weekly slots in the platform's time zone (DST-correct, since
 * slot times are wall-clock times in that zone), minus holidays and declared freezes. A slot runs
 * from its `from` (included) to its `to` (excluded), to the second. Pure: the moment is a parameter.
 */
import { DateTime } from 'luxon';
import type { Platform } from '../platform/schema';

export interface WindowState {
  environment: string;
  timeZone: string;
  /** Whether the environment has windows at all (unprotected environments are always open). */
  hasWindows: boolean;
  isOpen: boolean;
  /** Why it is open or closed, in words. */
  reason: string;
  /** When the current window closes (ISO, in the platform's zone), if open. */
  closesAt?: string;
  secondsLeft?: number;
  /** When the next window opens (ISO), if closed. */
  nextOpensAt?: string;
  /** The declared slots, e.g. "tue, wed, thu 14:00–16:00". */
  slots: string[];
}

const weekdayNumbers = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** How far ahead the next opening is looked for (a freeze of a year is the longest sensible one). */
const horizonDays = 400;

type Slot = Platform['policy']['windows'][string][number];

export function windowState(platform: Platform, environment: string, at: Date): WindowState {
  const { timeZone, holidays, freezes } = platform.policy;
  const slots = platform.policy.windows[environment] ?? [];
  const base = {
    environment,
    timeZone,
    slots: slots.map((slot) => `${slot.days.join(', ')} ${slot.from}–${slot.to}`),
  };
  if (slots.length === 0)
    return {
      ...base,
      hasWindows: false,
      isOpen: true,
      reason: `${environment} has no deployment windows: always open.`,
    };

  const now = DateTime.fromJSDate(at, { zone: timeZone });
  const closure = (day: DateTime): string | undefined => {
    const date = day.toISODate()!;
    if (holidays.includes(date)) return `${date} is a holiday`;
    const freeze = freezes.find((candidate) => date >= candidate.from && date <= candidate.to);
    return freeze ? `a freeze runs from ${freeze.from} to ${freeze.to} (${freeze.reason})` : undefined;
  };
  const opening = (day: DateTime, slot: Slot) => ({
    opens: wallClock(day, slot.from),
    closes: wallClock(day, slot.to),
  });

  const today = now.startOf('day');
  const todayClosure = closure(today);
  if (!todayClosure) {
    for (const slot of slotsOn(slots, today)) {
      const { opens, closes } = opening(today, slot);
      if (now >= opens && now < closes)
        return {
          ...base,
          hasWindows: true,
          isOpen: true,
          reason: `Open: the ${slot.from}–${slot.to} window (${timeZone}).`,
          closesAt: closes.toISO()!,
          secondsLeft: Math.floor(closes.diff(now, 'seconds').seconds),
        };
    }
  }
  let next: DateTime | undefined;
  for (let offset = 0; offset <= horizonDays && !next; offset++) {
    const day = today.plus({ days: offset });
    if (closure(day)) continue;
    const openings = slotsOn(slots, day)
      .map((slot) => opening(day, slot).opens)
      .filter((opens) => opens > now)
      .sort((a, b) => a.toMillis() - b.toMillis());
    next = openings[0];
  }
  const why =
    todayClosure ??
    (slotsOn(slots, today).length === 0
      ? `no window on ${weekdayNames[today.weekday]}`
      : `outside the ${slotsOn(slots, today)
          .map((slot) => `${slot.from}–${slot.to}`)
          .join(', ')} window (${timeZone})`);
  return {
    ...base,
    hasWindows: true,
    isOpen: false,
    reason: `Closed: ${why}.`,
    nextOpensAt: next?.toISO() ?? undefined,
  };
}

function slotsOn(slots: Slot[], day: DateTime): Slot[] {
  return slots.filter((slot) => slot.days.some((name) => weekdayNumbers[name] === day.weekday));
}

/** The wall-clock time `hh:mm` on `day` in its zone (luxon moves a time skipped by DST forward). */
function wallClock(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}
