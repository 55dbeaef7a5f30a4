// Blob pulls without the proxy hop: `GET /v2/<repo>/blobs/sha256:<hex>` answered by the edge
// from its registry's filesystem storage, which the edge configured and owns. A Node proxy in
// front of distribution's sendfile costs 3–4× on a small machine; reading the file here costs
// one copy. The edge answers only what distribution would answer 200/206 for, with the same
// headers: a bearer token that distribution would accept (signed by the edge's key, this
// issuer, this service, in its lifetime, granting pull on that repository), a blob linked into
// that repository (`_layers/sha256/<hex>/link`), at most one plain byte range. Anything else —
// no or another token, a blob of another repository, conditional requests, odd ranges, missing
// files — goes to the registry through the proxy, which answers as it always did.
import { jwtVerify, importX509 } from 'jose';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { isRepositoryName } from '@/lib/registries/rules';
import type { KeyMaterial } from '@/lib/token-service/key-material';

const BLOB_PATH = /^\/v2\/(.+)\/blobs\/sha256:([a-f0-9]{64})$/;
/** Large reads: fewer, bigger writes to the socket (a file stream reads 64 KiB). */
const READ_CHUNK_BYTES = 1 << 20;
/** Bytes read ahead of the socket: what the response may hold before the next read waits for 'drain'. */
const SOCKET_QUEUE_BYTES = 2 << 20;
/**
 * Read buffers the socket is done with, reused by the next reads: a fresh 1 MiB buffer is a new
 * mapping the kernel faults in and zeroes, which doubled the CPU of a read from the page cache.
 */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 8;
/** Verified bearer tokens kept, so a pull's blobs cost one signature check; cleared when full. */
const MAX_CACHED_TOKENS = 1000;

type Verified = { issuer: string; audience: string; nbf: number; exp: number; pull: Set<string> };

/** What a token must say to be accepted: the edge's issuer and its login server as the service. */
export type BlobAudience = { issuer: string; service: string };

/** Whether a request is one the fast path may take (GET of a blob by sha256 digest); cheap. */
export function isBlobGet(method: string | undefined, url: string | undefined): boolean {
  return method === 'GET' && url !== undefined && url.includes('/blobs/sha256:') && BLOB_PATH.test(url);
}

/** One plain range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) inside the blob, or null for anything else. */
export function singleRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (!m[1] && !m[2])) return null;
  if (!m[1]) {
    const suffix = Number(m[2]);
    if (!Number.isSafeInteger(suffix) || suffix <= 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= size || start > end) return null;
  return { start, end };
}

export class BlobFastPath {
  private verifyKey: CryptoKey | undefined;
  private readonly verified = new Map<string, Verified>();
  /** blob reads in progress (a client that goes away ends its read) */
  activeReads = 0;
  /** blob GETs answered from storage, and those left to the registry (in /healthz: every blob of a pull should be served) */
  readonly counts = { served: 0, forwarded: 0 };

  constructor(
    /** distribution's `storage.filesystem.rootdirectory` */
    private readonly storageRoot: string,
    private readonly material: KeyMaterial,
    /** null while the edge has no configuration: then every request goes to the registry */
    private readonly audience: () => BlobAudience | null,
  ) {}

  /** The repositories a bearer token grants pull on, when distribution would accept it now; else null. */
  private async pullable(authorization: string | undefined, expected: BlobAudience): Promise<Set<string> | null> {
    if (!authorization || !/^bearer /i.test(authorization)) return null;
    const jwt = authorization.slice(7).trim();
    let hit = this.verified.get(jwt);
    if (!hit) {
      try {
        this.verifyKey ??= (await importX509(this.material.certificate, 'ES256')) as CryptoKey;
        const { payload } = await jwtVerify(jwt, this.verifyKey, { algorithms: ['ES256'] });
        if (typeof payload.iss !== 'string' || typeof payload.aud !== 'string' || typeof payload.exp !== 'number') return null;
        const pull = new Set<string>();
        for (const a of Array.isArray(payload.access) ? (payload.access as unknown[]) : []) {
          const entry = a as { type?: unknown; name?: unknown; actions?: unknown };
          const actions = Array.isArray(entry.actions) ? entry.actions : [];
          if (entry.type === 'repository' && typeof entry.name === 'string' && (actions.includes('pull') || actions.includes('*')))
            pull.add(entry.name);
        }
        hit = { issuer: payload.iss, audience: payload.aud, nbf: payload.nbf ?? 0, exp: payload.exp, pull };
      } catch {
        return null; // not ours, expired, malformed: the registry answers it
      }
      if (this.verified.size >= MAX_CACHED_TOKENS) this.verified.clear();
      this.verified.set(jwt, hit);
    }
    const now = Math.floor(Date.now() / 1000);
    if (hit.exp <= now || hit.nbf > now || hit.issuer !== expected.issuer || hit.audience !== expected.service) return null;
    return hit.pull;
  }

  /**
   * Serves a blob GET from storage. Answers false — having written nothing — when the request must
   * go to the registry instead; true once it has answered (or the client went away).
   */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const served = await this.answer(req, res);
    this.counts[served ? 'served' : 'forwarded'] += 1;
    return served;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const expected = this.audience();
    const m = BLOB_PATH.exec(req.url ?? '');
    if (!expected || !m || req.method !== 'GET') return false;
    const [, repository, hex] = m;
    if (!isRepositoryName(repository)) return false;
    const h = req.headers;
    if (h['if-none-match'] || h['if-match'] || h['if-modified-since'] || h['if-unmodified-since'] || h['if-range']) return false;
    if (!(await this.pullable(h.authorization, expected))?.has(repository)) return false;

    // Synchronous file calls, on purpose: on a busy machine each round trip through libuv's thread
    // pool waited for a worker to be scheduled (16–50 ms at the 95th percentile for an fs.stat
    // while the event loop itself answered in 0.1 ms), and a blob took one per chunk. The link,
    // the open and the size come from the page cache in microseconds; reads are one chunk at a
    // time and only while the socket wants more (see send).
    const v2 = join(this.storageRoot, 'docker', 'registry', 'v2');
    let fd: number;
    try {
      const link = readFileSync(join(v2, 'repositories', repository, '_layers', 'sha256', hex, 'link'), 'utf8');
      if (link.trim() !== `sha256:${hex}`) return false;
      fd = openSync(join(v2, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'), 'r');
    } catch {
      return false; // not linked into this repository, or not on disk: the registry says what it says
    }
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch {
      closeSync(fd);
      return false;
    }
    const range = h.range === undefined ? { start: 0, end: size - 1 } : singleRange(h.range, size);
    if (!range) {
      closeSync(fd);
      return false;
    }
    const digest = `sha256:${hex}`;
    // distribution's headers for a blob (blobServer.ServeBlob, then http.ServeContent)
    const headers: Record<string, string | number> = {
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'max-age=31536000',
      'Content-Length': range.end - range.start + 1,
      'Content-Type': 'application/octet-stream',
      'Docker-Content-Digest': digest,
      'Docker-Distribution-Api-Version': 'registry/2.0',
      Etag: `"${digest}"`,
    };
    if (h.range !== undefined) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    res.writeHead(h.range !== undefined ? 206 : 200, headers);
    if (range.end < range.start) {
      closeSync(fd);
      res.end();
      return true;
    }
    this.activeReads += 1;
    send(fd, res, range.start, range.end, () => (this.activeReads -= 1));
    return true;
  }
}

/**
 * Writes bytes `start`..`end` of the open file to the response and closes the file; `done` is
 * called once, when the response is complete or the client went away (or a read failed: the
 * response is cut short, as distribution does). Reads a chunk only while less than
 * SOCKET_QUEUE_BYTES wait to be written, then waits for the response to drain: the socket always
 * has data, the event loop is never held for more than a queue's worth of reads.
 */
function send(fd: number, res: ServerResponse, start: number, end: number, done: () => void) {
  let position = start;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    res.off('drain', pump);
    res.off('close', finish);
    closeSync(fd);
    done();
  };
  function pump() {
    try {
      while (position <= end && res.writableLength < SOCKET_QUEUE_BYTES) {
        if (res.destroyed) return finish();
        const chunk = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
        const read = readSync(fd, chunk, 0, Math.min(READ_CHUNK_BYTES, end - position + 1), position);
        if (read === 0) throw new Error('the blob is shorter than its size');
        position += read;
        // the socket has copied the chunk when the write's callback runs: it may be read into again
        res.write(read === READ_CHUNK_BYTES ? chunk : chunk.subarray(0, read), (error) => {
          if (!error && spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(chunk);
        });
      }
    } catch (error) {
      res.destroy(error as Error);
      return finish();
    }
    if (position > end) {
      res.end();
      finish();
    }
  }
  res.on('drain', pump);
  res.once('close', finish);
  pump();
}
