import { describe, expect, it } from 'vitest';
import { MIN_STALE_AFTER_MS, isAbandoned, longestTriggerGapMs, staleAfterMs } from './rules';

const MIN = 60_000;
const DAY = 1440 * MIN;

describe('longestTriggerGapMs', () => {
  it.each([
    ['* * * * *', MIN],
    ['*/5 * * * *', 5 * MIN],
    ['0 * * * *', 60 * MIN],
    ['0 0 * * *', DAY],
    ['30 2,14 * * *', 12 * 60 * MIN],
    // Friday 09:00 to Monday 09:00
    ['0 9 * * 1-5', 3 * DAY],
    // Friday 17:55 to Monday 09:00
    ['*/5 9-17 * * 1-5', 3 * DAY - (17 * 60 + 55 - 9 * 60) * MIN],
    // the first of a month after a 31-day month
    ['30 2 1 * *', 31 * DAY],
    // the 1st or a Monday (cron's OR of the two day fields): at most a week
    ['0 0 1 * 1', 7 * DAY],
    ['0 0 L * *', 31 * DAY],
    // every minute of January: 31 January 23:59 to the next 1 January (2024 is a leap year)
    ['* * * 1 *', (336 * 1440 - 1439) * MIN],
    // 29 February: four years
    ['0 0 29 2 *', 1461 * DAY],
  ])('of %s is the longest wait between two triggers', (schedule, gap) => {
    expect(longestTriggerGapMs(schedule)).toBe(gap);
  });

  it('is null for what is not a schedule', () => {
    expect(longestTriggerGapMs('every minute')).toBeNull();
    expect(longestTriggerGapMs('61 * * * *')).toBeNull();
  });
});

describe('staleAfterMs', () => {
  it('is twice the longest gap, never under 10 minutes', () => {
    expect(staleAfterMs('* * * * *')).toBe(MIN_STALE_AFTER_MS);
    expect(staleAfterMs('*/5 * * * *')).toBe(10 * MIN);
    expect(staleAfterMs('*/10 * * * *')).toBe(20 * MIN);
    expect(staleAfterMs('0 0 * * *')).toBe(2 * DAY);
    expect(staleAfterMs('not a schedule')).toBe(MIN_STALE_AFTER_MS);
  });
});

it('isAbandoned: a Running run silent for more than 5 minutes', () => {
  const now = new Date('2026-11-30T04:00:00Z');
  const ago = (m: number) => new Date(now.getTime() - m * MIN);
  expect(isAbandoned({ status: 'Running', reportedAt: ago(6) }, now)).toBe(true);
  expect(isAbandoned({ status: 'Running', reportedAt: ago(4) }, now)).toBe(false);
  expect(isAbandoned({ status: 'Failed', reportedAt: ago(60) }, now)).toBe(false);
});
