// Copies one blob between registries, resumably. The bytes go into an upload session at the
// destination with one streamed PATCH; when the source breaks off (the parent went away, the run's
// window ended), the PATCH is ended rather than aborted, so the destination keeps what arrived, and
// the session (its URL and how many bytes it holds) is remembered. The next attempt — a retry in
// the same run, or the next run, also after a restart — asks the destination what the session
// holds, reads the source from there on (`Range`), appends the rest and completes the upload: a
// blob cut off mid-copy costs only what was not copied.
//
// The digest is checked before the upload is completed (`PUT ?digest=`, the only step that makes
// a blob of the bytes): by the edge over every byte when it saw them all in this process, and by
// the destination in every case (distribution verifies what it holds against the digest asked
// for). A stock distribution refuses a session URL older than its last chunk, and forgets a
// session after a week (its upload purging): such a session is started again from zero. A
// session is only resumable when the destination itself took the end of the PATCH — a
// destination that goes away mid-PATCH (an upward copy cut off at the parent) starts again.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { finished } from 'node:stream/promises';
import { RegistryError, type RegistryClient } from './oci-client';

export type UploadSession = {
  /** the session's URL as the destination answered it, without scheme and host (its port may change) */
  location: string;
  /** the bytes it holds */
  offset: number;
  savedAt: string;
};

/** A session older than this is started again (distribution purges uploads after a week). */
const SESSION_MAX_AGE_MS = 24 * 3600_000;

/**
 * Upload sessions of blobs cut off mid-copy, by destination, repository and digest. Kept in the
 * data dir (`sync-uploads.json`) through `persist`; the hash state of the bytes already sent
 * lives in memory only (it cannot be written down), so a session resumed after a restart is
 * verified by the destination alone.
 */
export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly hashes = new Map<string, Hash>();

  constructor(
    stored: Record<string, UploadSession> | null = null,
    private readonly persist: (sessions: Record<string, UploadSession>) => void = () => {},
  ) {
    for (const [key, s] of Object.entries(stored ?? {})) {
      if (s && typeof s.location === 'string' && Number.isSafeInteger(s.offset) && s.offset > 0 && typeof s.savedAt === 'string')
        this.sessions.set(key, s);
    }
  }

  get size() {
    return this.sessions.size;
  }

  get(key: string): { session: UploadSession; hash: Hash | null } | null {
    const session = this.sessions.get(key);
    if (!session) return null;
    if (!(Date.now() - Date.parse(session.savedAt) < SESSION_MAX_AGE_MS)) {
      this.delete(key);
      return null;
    }
    return { session, hash: this.hashes.get(key) ?? null };
  }

  set(key: string, location: string, offset: number, hash: Hash | null) {
    const url = new URL(location);
    this.sessions.set(key, { location: url.pathname + url.search, offset, savedAt: new Date().toISOString() });
    if (hash) this.hashes.set(key, hash);
    else this.hashes.delete(key);
    this.save();
  }

  delete(key: string) {
    this.hashes.delete(key);
    if (this.sessions.delete(key)) this.save();
  }

  private save() {
    this.persist(Object.fromEntries(this.sessions));
  }
}

/** Hashes and counts the bytes that pass; the first `skip` (already at the destination) are hashed, not passed on. */
class Passing extends Transform {
  /** bytes read from the source */
  received = 0;
  constructor(
    readonly hash: Hash | null,
    private skip: number,
  ) {
    // 1 MiB buffered each side: fewer pauses between the source's socket and the destination's
    super({ highWaterMark: 1 << 20 });
  }
  _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.hash?.update(chunk);
    this.received += chunk.length;
    if (this.skip >= chunk.length) {
      this.skip -= chunk.length;
      return done();
    }
    const out = this.skip ? chunk.subarray(this.skip) : chunk;
    this.skip = 0;
    done(null, out);
  }
}

export type BlobCopy = {
  from: RegistryClient;
  to: RegistryClient;
  repo: string;
  digest: string;
  /** the descriptor's size (null: not known) */
  size: number | null;
  sessions: UploadSessions;
  /** the session's key: destination, repository and digest */
  key: string;
  signal: AbortSignal;
  /** told the bytes read from the source by this attempt, whether it succeeded or not */
  onBytes?: (bytes: number) => void;
};

/**
 * One attempt at copying a blob (the caller retries): resumes the blob's upload session when the
 * destination still holds it, else starts one. Throws the source's error when it broke off (the
 * session is kept for the next attempt), a non-transient RegistryError when the bytes do not
 * match the digest or size (the session is cancelled).
 */
export async function copyBlob(c: BlobCopy): Promise<void> {
  const { from, to, repo, digest, size, sessions, key, signal } = c;
  let location: string | null = null;
  let offset = 0;
  let hash: Hash | null = createHash('sha256');
  const saved = sessions.get(key);
  if (saved) {
    const url = new URL(saved.session.location, to.baseUrl).toString();
    const held = await to.uploadOffset(repo, url, signal);
    if (held !== null && held === saved.session.offset) {
      location = url;
      offset = held;
      hash = saved.hash?.copy() ?? null;
    } else sessions.delete(key);
  }

  if (size === null || offset < size || !location) {
    const source = await from.openBlob(repo, digest, signal, offset);
    if (!location) {
      try {
        location = await to.startUpload(repo, signal);
      } catch (error) {
        source.stream.destroy();
        throw error;
      }
    }
    // a source that ignored the Range sends the whole blob again: hash all of it, pass on the rest
    if (source.start !== offset) hash = createHash('sha256');
    const passing = new Passing(hash, offset - source.start);
    passing.on('error', () => {}); // the PATCH that reads it reports the failure
    source.stream.pipe(passing, { end: false });
    // a source that breaks off ends the PATCH (the destination keeps what it got), never aborts it
    const sourceDone = finished(source.stream).then(
      () => null,
      (error: Error) => error,
    );
    void sourceDone.then(() => {
      if (!passing.destroyed) passing.end();
    });
    let appended: { location: string; offset: number };
    try {
      appended = await to.appendUpload(repo, location, passing);
    } catch (error) {
      source.stream.destroy();
      sessions.delete(key);
      throw error;
    } finally {
      c.onBytes?.(passing.received);
    }
    const sourceError = await sourceDone;
    // what the session should hold now; the hash (when there is one) covers as much
    const sent = source.start + passing.received;
    // distribution answers "0-0" for an empty session and for one byte
    const held = appended.offset > 0 ? appended.offset : sent;
    location = appended.location;
    if (sourceError || signal.aborted) {
      if (held > 0) sessions.set(key, location, held, sent === held ? hash : null);
      throw sourceError
        ? new RegistryError(
            `${from.baseUrl}: the blob ${digest} of ${repo} broke off after ${held} of ${size ?? '?'} bytes (kept, to resume): ${sourceError.message}`,
            null,
            true,
          )
        : new RegistryError('stopped', null, false);
    }
    if (size !== null && held !== size) return refuse(c, location, `blob ${digest} is ${held} bytes, its descriptor says ${size}`);
    if (hash && sent === held) {
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== digest) return refuse(c, location, `blob ${digest} arrived with digest ${actual}`);
    }
    offset = held;
  }
  try {
    await to.finishUpload(repo, location, digest, signal);
  } catch (error) {
    // the registry refused the digest (and dropped the session), or did not answer: then the
    // next attempt completes what it holds
    if (error instanceof RegistryError && error.transient && offset > 0) sessions.set(key, location, offset, null);
    else sessions.delete(key);
    throw error;
  }
  sessions.delete(key);
}

async function refuse(c: BlobCopy, location: string, message: string): Promise<never> {
  c.sessions.delete(c.key);
  await c.to.cancelUpload(c.repo, location);
  throw new RegistryError(message, null, false);
}
