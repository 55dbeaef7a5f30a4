// Upload sessions of blobs cut off mid-copy, as the edge keeps them in its data dir: the session's
// URL without scheme and host (the edge's registry may listen on another port after a restart),
// the bytes it holds, and never the hash state (memory only); stale or malformed entries dropped.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UploadSessions, type UploadSession } from './blob-copy';

describe('UploadSessions', () => {
  it('keeps a session for the next process without its host or hash state; the hash stays in memory', () => {
    let written: Record<string, UploadSession> = {};
    const sessions = new UploadSessions(null, (all) => (written = structuredClone(all)));
    const hash = createHash('sha256').update('first bytes');
    sessions.set('edge:apps/web@sha256:ab', 'http://127.0.0.1:41907/v2/apps/web/blobs/uploads/u-1?_state=abc', 11, hash);
    expect(written['edge:apps/web@sha256:ab']).toMatchObject({ location: '/v2/apps/web/blobs/uploads/u-1?_state=abc', offset: 11 });
    expect(JSON.stringify(written)).not.toContain('127.0.0.1');
    expect(sessions.get('edge:apps/web@sha256:ab')?.hash).toBe(hash);

    // the next process reads the file: the session, without a hash (the destination checks the digest)
    const next = new UploadSessions(written);
    expect(next.get('edge:apps/web@sha256:ab')).toEqual({ session: written['edge:apps/web@sha256:ab'], hash: null });
    next.delete('edge:apps/web@sha256:ab');
    expect(next.size).toBe(0);
  });

  it('drops sessions older than a day and entries that are not sessions', () => {
    const old = new Date(Date.now() - 25 * 3600_000).toISOString();
    const now = new Date().toISOString();
    const sessions = new UploadSessions({
      stale: { location: '/v2/a/blobs/uploads/1', offset: 5, savedAt: old },
      empty: { location: '/v2/a/blobs/uploads/2', offset: 0, savedAt: now },
      broken: { location: 7, offset: 5, savedAt: now } as unknown as UploadSession,
      good: { location: '/v2/a/blobs/uploads/3', offset: 5, savedAt: now },
    });
    expect(sessions.size).toBe(2);
    expect(sessions.get('stale')).toBeNull();
    expect(sessions.get('good')?.session.offset).toBe(5);
    expect(sessions.size).toBe(1);
  });
});
