// Rules of sync history that need no database: when a registry's sync counts as stale, and
// when a reported run counts as abandoned.
import { CronExpressionParser } from 'cron-parser';
import { ABANDONED_RUN_SECONDS } from './report';

/** A registry's sync is stale when its last successful sync is older than twice the longest gap between its schedule's triggers, and never sooner than this. */
export const MIN_STALE_AFTER_MS = 10 * 60_000;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Four years and a little from the start of a leap year: every calendar pattern a cron day
// field can make (29 February included) repeats within it.
const DAYS_FROM = Date.UTC(2024, 0, 1);
const DAYS_TO = Date.UTC(2028, 2, 2);

const gapCache = new Map<string, number | null>();
const MAX_CACHED = 1000;

/**
 * The longest time between two consecutive triggers of a 5-field cron schedule (UTC), in ms;
 * null when it is not a valid schedule. Cron's times of day are the same on every day it
 * fires, so the gap is the larger of the longest gap within a day's times and the longest wait
 * from the last time of one firing day to the first time of the next firing day. Only the
 * firing days are iterated (at most ~1,500), not every trigger (`* * * 1 *` has 44,640 a year).
 */
export function longestTriggerGapMs(schedule: string): number | null {
  const key = schedule.trim().split(/\s+/).join(' ');
  if (gapCache.has(key)) return gapCache.get(key)!;
  const gap = computeGap(key);
  if (gapCache.size >= MAX_CACHED) gapCache.delete(gapCache.keys().next().value!);
  gapCache.set(key, gap);
  return gap;
}

function computeGap(schedule: string): number | null {
  const fields = schedule.split(' ');
  if (fields.length !== 5) return null;
  let minutes: number[];
  let hours: number[];
  try {
    const parsed = CronExpressionParser.parse(schedule, { tz: 'UTC' });
    minutes = [...parsed.fields.minute.values].map(Number).sort((a, b) => a - b);
    hours = [...parsed.fields.hour.values].map(Number).sort((a, b) => a - b);
  } catch {
    return null;
  }
  // times of day, in minutes since midnight, ascending
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, (times[i] - times[i - 1]) * MINUTE_MS);
  const spanOfDay = (times[times.length - 1] - times[0]) * MINUTE_MS;

  // the firing days: the same day fields at 00:00, asked day by day (includesDate is much
  // cheaper than next(), which searches)
  const dayExpression = CronExpressionParser.parse(`0 0 ${fields.slice(2).join(' ')}`, { tz: 'UTC' });
  const everyDay = fields[2] === '*' && fields[3] === '*' && fields[4] === '*';
  let previousDay: number | null = null;
  let longestDayGap = 0;
  let firingDays = 0;
  for (let day = DAYS_FROM; day < DAYS_TO && !(everyDay && firingDays > 1); day += DAY_MS) {
    if (!dayExpression.includesDate(new Date(day))) continue;
    firingDays += 1;
    if (previousDay !== null) longestDayGap = Math.max(longestDayGap, day - previousDay);
    previousDay = day;
  }
  if (firingDays === 0) return null; // never fires (31 February)
  if (firingDays === 1) longestDayGap = DAYS_TO - DAYS_FROM;
  return Math.max(longest, longestDayGap - spanOfDay);
}

/** How old a registry's last successful sync may be before it counts as stale. */
export function staleAfterMs(schedule: string): number {
  const gap = longestTriggerGapMs(schedule);
  return Math.max(MIN_STALE_AFTER_MS, 2 * (gap ?? 0));
}

/** A Running run whose last report is older than this was abandoned (the edge died mid-run). */
export function isAbandoned(run: { status: string; reportedAt: Date }, now = new Date()): boolean {
  return run.status === 'Running' && now.getTime() - run.reportedAt.getTime() > ABANDONED_RUN_SECONDS * 1000;
}
