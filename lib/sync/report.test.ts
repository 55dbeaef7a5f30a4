import { describe, expect, it } from 'vitest';
import { changedNothing, runTotals, syncRequest, syncRunReport, type SyncRunReportInput } from './report';

const final: SyncRunReportInput = {
  id: '6f1c2a8e-run',
  trigger: 'schedule',
  status: 'Succeeded',
  startedAt: '2026-11-30T04:00:00Z',
  endedAt: '2026-11-30T04:00:03.250Z',
};

function issues(input: unknown) {
  const r = syncRunReport.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('syncRunReport', () => {
  it('fills defaults for what a minimal report leaves out', () => {
    const r = syncRunReport.parse(final);
    expect(r).toMatchObject({ kind: 'sync', requestId: null, repositories: [], conflicts: [], error: null, conflictCount: null });
  });

  it('fills each direction of a repository with zeros', () => {
    const r = syncRunReport.parse({ ...final, repositories: [{ name: 'app/web', down: { tags: 2, bytes: 10 } }] });
    expect(r.repositories[0]).toEqual({
      name: 'app/web',
      down: { tags: 2, tagsDeleted: 0, blobs: 0, bytes: 10 },
      up: { tags: 0, tagsDeleted: 0, blobs: 0, bytes: 0 },
      error: null,
    });
  });

  it('accepts a progress report: Running, no end yet', () => {
    expect(issues({ ...final, status: 'Running', endedAt: undefined, repositoriesTotal: 3 })).toEqual([]);
    expect(issues({ ...final, status: 'Running', endedAt: null })).toEqual([]);
  });

  it.each([
    ['a Running run with an end', { ...final, status: 'Running' }, 'endedAt: A Running run has no endedAt yet.'],
    ['a final run without an end', { ...final, status: 'Stopped', endedAt: null }, 'endedAt: A Stopped run needs its endedAt.'],
    ['an end before the start', { ...final, endedAt: '2026-11-30T03:59:59Z' }, 'endedAt: endedAt is before startedAt.'],
    ['a failure without its error', { ...final, status: 'Failed' }, 'error: A Failed run carries its error.'],
    ['Sync now without its request', { ...final, trigger: 'now' }, 'requestId: A run triggered by Sync now names its request (requestId).'],
    ['a repository twice', { ...final, repositories: [{ name: 'a' }, { name: 'a' }] }, 'repositories.1.name: a is reported twice.'],
  ])('refuses %s', (_, input, message) => {
    expect(issues(input)).toContain(message);
  });

  it.each([
    ['an unknown field', { ...final, extra: 1 }],
    ['an unknown status', { ...final, status: 'Done' }],
    ['an unknown trigger', { ...final, trigger: 'cron' }],
    ['a time without offset', { ...final, startedAt: '2026-11-30T04:00:00' }],
    ['a negative count', { ...final, repositories: [{ name: 'a', up: { bytes: -1 } }] }],
    ['a fractional count', { ...final, repositories: [{ name: 'a', up: { tags: 1.5 } }] }],
    ['a run id with a slash', { ...final, id: 'a/b' }],
    ['too many repositories', { ...final, repositories: Array.from({ length: 501 }, (_, i) => ({ name: `r${i}` })) }],
    ['too long an error', { ...final, status: 'Failed', error: 'x'.repeat(2001) }],
  ])('refuses %s', (_, input) => {
    expect(issues(input).length).toBeGreaterThan(0);
  });
});

describe('changedNothing', () => {
  it('is true of a successful run that moved nothing', () => {
    expect(changedNothing(syncRunReport.parse({ ...final, repositories: [{ name: 'a' }, { name: 'b' }] }))).toBe(true);
  });

  it.each([
    ['a tag copied down', { repositories: [{ name: 'a', down: { tags: 1 } }] }],
    ['a tag deleted up', { repositories: [{ name: 'a', up: { tagsDeleted: 1 } }] }],
    ['bytes copied', { repositories: [{ name: 'a', down: { bytes: 5 } }] }],
    ['a conflict', { conflicts: [{ repository: 'a', tag: 'v1', parentDigest: 'sha256:1', edgeDigest: 'sha256:2' }] }],
    ['a Stopped run', { status: 'Stopped' }],
    ['a Failed run', { status: 'Failed', error: 'parent unreachable' }],
  ])('is false with %s', (_, change) => {
    expect(changedNothing(syncRunReport.parse({ ...final, ...change }))).toBe(false);
  });
});

it('runTotals sums each direction over the repositories', () => {
  const r = syncRunReport.parse({
    ...final,
    repositories: [
      { name: 'a', down: { tags: 1, bytes: 100, blobs: 2 } },
      { name: 'b', down: { tags: 2, bytes: 50 }, up: { tags: 1, bytes: 7 } },
    ],
  });
  expect(runTotals(r)).toEqual({
    down: { tags: 3, tagsDeleted: 0, blobs: 2, bytes: 150 },
    up: { tags: 1, tagsDeleted: 0, blobs: 0, bytes: 7 },
  });
});

it('syncRequest is null or an id with the time it was asked', () => {
  expect(syncRequest.parse(null)).toBeNull();
  expect(syncRequest.parse({ id: 'abc', requestedAt: '2026-11-30T04:00:00.000Z' })).toEqual({
    id: 'abc',
    requestedAt: '2026-11-30T04:00:00.000Z',
  });
  expect(syncRequest.safeParse({ id: '', requestedAt: 'now' }).success).toBe(false);
});
