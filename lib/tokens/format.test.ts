import { describe, expect, it } from 'vitest';
import { endOfDayUtc, formatTime, relativeTime } from './format';

describe('token time formatting', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('says how far an expiry is, in the largest whole unit', () => {
    expect(relativeTime('2026-12-03T12:00:00Z', now)).toBe('in 5 days');
    expect(relativeTime('2026-11-29T12:00:00Z', now)).toBe('in 1 day');
    expect(relativeTime('2026-11-28T17:00:00Z', now)).toBe('in 5 hours');
    expect(relativeTime('2026-11-28T12:00:20Z', now)).toBe('in 1 minute');
    expect(relativeTime('2026-11-25T12:00:00Z', now)).toBe('3 days ago');
  });

  it('turns a date input into the end of that day in UTC, and refuses anything else', () => {
    expect(endOfDayUtc('2027-01-31')).toBe('2027-01-31T23:59:59Z');
    expect(endOfDayUtc('')).toBeNull();
    expect(endOfDayUtc('31/01/2027')).toBeNull();
  });

  it('shows times in UTC to the minute', () => {
    expect(formatTime('2026-11-28T01:45:33.123Z')).toBe('2026-11-28 01:45 UTC');
    expect(formatTime(null)).toBe('—');
  });
});
