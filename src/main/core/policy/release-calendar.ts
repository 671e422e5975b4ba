/**
 * The release calendar (R5): the next production release (every N weeks on a weekday, counted
 * from an anchor date), staging (daily, on every push to develop), hotfixes on demand, and when
 * the production deployment windows next open — all in the platform's time zone, DST-correct.
 * Pure: the clock is a parameter.
 */
import { DateTime } from 'luxon';
import type { ReleaseCalendar } from '../../../shared/contract';
import type { Platform } from '../platform/schema';

const weekdayNumbers = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;

export function releaseCalendar(platform: Platform, now: Date, horizonDays = 21): ReleaseCalendar {
  const { timeZone, releaseCalendar: calendar, windows, holidays, freezes } = platform.policy;
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const releaseWeekday = weekdayNumbers[calendar.productionWeekday];
  const anchor = calendar.anchorDate
    ? DateTime.fromISO(calendar.anchorDate, { zone: timeZone }).startOf('day')
    : nextWeekday(today, releaseWeekday);
  const cycleDays = calendar.productionEveryWeeks * 7;
  const elapsed = Math.floor(today.diff(anchor, 'days').days);
  const cyclesAhead = elapsed <= 0 ? 0 : Math.ceil(elapsed / cycleDays);
  let nextProduction = anchor.plus({ days: cyclesAhead * cycleDays });
  if (nextProduction < today) nextProduction = nextProduction.plus({ days: cycleDays });

  const isClosed = (day: DateTime) =>
    holidays.includes(day.toISODate()!) ||
    freezes.some((freeze) => day.toISODate()! >= freeze.from && day.toISODate()! <= freeze.to);

  const windowsOut: ReleaseCalendar['windows'] = [];
  for (const [environment, slots] of Object.entries(windows)) {
    const openings: string[] = [];
    for (let offset = 0; offset <= horizonDays && openings.length < 3; offset++) {
      const day = today.plus({ days: offset });
      if (isClosed(day)) continue;
      for (const slot of slots) {
        if (!slot.days.some((name) => weekdayNumbers[name] === day.weekday)) continue;
        const [openHour, openMinute] = slot.from.split(':').map(Number) as [number, number];
        const [closeHour, closeMinute] = slot.to.split(':').map(Number) as [number, number];
        const closes = day.set({ hour: closeHour, minute: closeMinute });
        if (closes.toJSDate() <= now) continue;
        openings.push(day.set({ hour: openHour, minute: openMinute }).toISO()!);
      }
    }
    windowsOut.push({
      environment,
      slots: slots.map((slot) => `${slot.days.join(', ')} ${slot.from}–${slot.to}`),
      nextOpenings: openings,
    });
  }

  return {
    timeZone,
    nextProductionRelease: nextProduction.toISODate()!,
    productionEveryWeeks: calendar.productionEveryWeeks,
    productionWeekday: calendar.productionWeekday,
    staging: 'Daily: every push to develop deploys to staging.',
    hotfix: `On demand, within ${calendar.hotfixMaxHours} h for a critical issue.`,
    windows: windowsOut,
    closedDays: [...holidays, ...freezes.map((freeze) => `${freeze.from}…${freeze.to} (${freeze.reason})`)],
  };
}

function nextWeekday(day: DateTime, weekday: number): DateTime {
  return day.plus({ days: (weekday - day.weekday + 7) % 7 });
}
