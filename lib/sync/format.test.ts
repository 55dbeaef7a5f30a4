import { describe, expect, it } from 'vitest';
import { describeCounts, describeTrigger, formatBytes, formatDuration } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.5 KB'],
    [20_000_000, '20 MB'],
    [123_456_789, '123 MB'],
    [3_210_000_000, '3.21 GB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatDuration', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 4) + s * 1000).toISOString();
  it.each([
    [0.85, '850 ms'],
    [12, '12 s'],
    [245, '4 min 5 s'],
    [600, '10 min'],
    [7380, '2 h 3 min'],
  ])('%d s → %s', (s, text) => expect(formatDuration(at(0), at(s))).toBe(text));
  it('is a dash while the run goes', () => expect(formatDuration(at(0), null)).toBe('–'));
});

it('describeCounts names what moved, or nothing', () => {
  expect(describeCounts({ tags: 0, tagsDeleted: 0, bytes: 0 })).toBe('nothing');
  expect(describeCounts({ tags: 1, tagsDeleted: 2, bytes: 1500 })).toBe('1 tag, 2 deleted, 1.5 KB');
});

describe('describeTrigger', () => {
  it('names what started a run', () => {
    expect(describeTrigger('schedule')).toBe('schedule');
    expect(describeTrigger('now')).toBe('Sync now');
    expect(describeTrigger('push')).toBe('push at the edge');
  });
});
