// A client of the OCI distribution API, enough for sync: tags (following `Link`), manifests
// (OCI and Docker, image and index, verified against their digest), blobs streamed (from an
// offset too), cross-repository mounts, upload sessions (blob-copy.ts copies through them) and
// deletes. Authentication follows the registry's `WWW-Authenticate` challenge: the token comes
// from the realm it names, asked with one `scope` per repository by the caller's `authorize`
// function (HTTP Basic with the sync token for a parent; a token the edge signs itself for its
// own registry).
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const MANIFEST_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;
const ACCEPT = Object.values(MANIFEST_TYPES).join(', ');
export const isIndex = (mediaType: string) => mediaType === MANIFEST_TYPES.ociIndex || mediaType === MANIFEST_TYPES.dockerList;

export type Descriptor = { mediaType?: string; digest: string; size: number; platform?: unknown };
export type Manifest = {
  digest: string;
  mediaType: string;
  body: Buffer;
  parsed: { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[]; blobs?: Descriptor[] };
};

/** A failure worth trying again (the network, a 5xx, a 429), or not (a 4xx, a digest mismatch). */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export type Challenge = { realm: string; service: string };
export type Authorize = (challenge: Challenge, scopes: string[], signal?: AbortSignal) => Promise<string>;

export function parseChallenge(header: string | undefined): Challenge | null {
  if (!header || !/^Bearer\s/i.test(header)) return null;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  return params.realm ? { realm: params.realm, service: params.service ?? '' } : null;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
export function checkDigest(digest: string): string {
  if (!DIGEST.test(digest)) throw new RegistryError(`"${digest.slice(0, 100)}" is not a sha256 digest this edge can verify.`, null, false);
  return digest;
}

type Response = { status: number; headers: IncomingHttpHeaders; stream: IncomingMessage };

export class RegistryClient {
  private readonly agent: http.Agent;
  private challenge: Challenge | null | undefined;
  private readonly tokens = new Map<string, { value: string; until: number }>();
  /** every request, counted by `<method> <kind>` (blob GETs for the resumability proof, figures for the bench) */
  readonly counts = new Map<string, number>();

  constructor(
    readonly baseUrl: string,
    private readonly authorize: Authorize,
    opts: { ca?: Buffer; maxSockets?: number } = {},
  ) {
    this.agent = baseUrl.startsWith('https:')
      ? new https.Agent({ keepAlive: true, ca: opts.ca, maxSockets: opts.maxSockets ?? 16 })
      : new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16 });
  }

  close() {
    this.agent.destroy();
  }

  private count(method: string, path: string) {
    const kind = /\/blobs\/uploads\//.test(path)
      ? 'upload'
      : /\/blobs\//.test(path)
        ? 'blob'
        : /\/manifests\//.test(path)
          ? 'manifest'
          : /\/tags\/list/.test(path)
            ? 'tags'
            : 'other';
    const key = `${method} ${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | Readable | undefined,
    signal?: AbortSignal,
    timeoutMs = 120_000,
  ): Promise<Response> {
    const lib = url.protocol === 'https:' ? https : http;
    this.count(method, url.pathname);
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this.agent, signal }, (res) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, stream: res }),
      );
      // an idle connection for this long is a dead one; a slow but moving transfer is not
      req.setTimeout(timeoutMs, () => req.destroy(new RegistryError(`${method} ${url.pathname} timed out`, null, true)));
      // a streamed body that fails (its source broke, or its digest check refused it) is the
      // cause, not the aborted request it leaves behind
      let bodyError: Error | null = null;
      if (body !== undefined && !Buffer.isBuffer(body)) body.once('error', (error) => (bodyError ??= error));
      req.on('error', (error) => {
        const cause = bodyError ?? error;
        reject(
          cause instanceof RegistryError
            ? cause
            : new RegistryError(`${method} ${url.host}${url.pathname}: ${cause.message}`, null, !signal?.aborted),
        );
      });
      if (body === undefined || Buffer.isBuffer(body)) req.end(body);
      else pipeline(body, req).catch((error) => req.destroy(error as Error));
    });
  }

  private async discover(signal?: AbortSignal): Promise<Challenge | null> {
    if (this.challenge !== undefined) return this.challenge;
    const res = await this.send('GET', new URL(`${this.baseUrl}/v2/`), {}, undefined, signal, 30_000);
    res.stream.resume();
    if (res.status >= 500) throw new RegistryError(`${this.baseUrl}/v2/ answered ${res.status}`, res.status, true);
    this.challenge = res.status === 401 ? parseChallenge(String(res.headers['www-authenticate'] ?? '')) : null;
    return this.challenge;
  }

  private async authorization(scopes: string[], signal?: AbortSignal, renew = false): Promise<Record<string, string>> {
    const challenge = await this.discover(signal);
    if (!challenge) return {};
    const key = [...scopes].sort().join(' ');
    const cached = this.tokens.get(key);
    if (!renew && cached && cached.until > Date.now()) return { authorization: cached.value };
    const value = await this.authorize(challenge, scopes, signal);
    this.tokens.set(key, { value, until: Date.now() + 60_000 });
    return { authorization: value };
  }

  /**
   * One request with the token for its scopes; a 401 renews the token once. A body is only
   * sent by a buffer here (a stream cannot be sent twice): streamed uploads get their token first.
   */
  async request(
    method: string,
    path: string,
    scopes: string[],
    opts: { headers?: Record<string, string>; body?: Buffer | Readable; signal?: AbortSignal; absolute?: string } = {},
  ): Promise<Response> {
    const url = new URL(opts.absolute ?? this.baseUrl + path);
    let auth = await this.authorization(scopes, opts.signal);
    let res = await this.send(method, url, { ...opts.headers, ...auth }, opts.body, opts.signal);
    if (res.status === 401 && (opts.body === undefined || Buffer.isBuffer(opts.body))) {
      res.stream.resume();
      auth = await this.authorization(scopes, opts.signal, true);
      res = await this.send(method, url, { ...opts.headers, ...auth }, opts.body, opts.signal);
    }
    return res;
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = await readText(res.stream, 2000).catch(() => '');
    const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
    throw new RegistryError(
      `${what}: ${res.status}${code ? ` ${code}` : ''}${text && !code ? ` ${text.slice(0, 200)}` : ''}`,
      res.status,
      res.status >= 500 || res.status === 429 || res.status === 408,
    );
  }

  /** Every tag of a repository (following `Link`); an unknown repository has none. */
  async tags(repo: string, signal?: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let next: string | null = `/v2/${repo}/tags/list`;
    while (next) {
      const res = await this.request('GET', '', [`repository:${repo}:pull`], { signal, absolute: new URL(next, this.baseUrl).toString() });
      if (res.status === 404) {
        res.stream.resume();
        return [];
      }
      if (res.status !== 200) await this.fail(res, `listing the tags of ${repo}`);
      const body = JSON.parse(await readText(res.stream, 64 * 1024 * 1024)) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = String(res.headers.link ?? '');
      next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1] ?? null;
    }
    return [...new Set(tags)];
  }

  /** The digest a tag (or digest) points at, or null when there is none. */
  async manifestDigest(repo: string, ref: string, scopes = [`repository:${repo}:pull`], signal?: AbortSignal): Promise<string | null> {
    const res = await this.request('HEAD', `/v2/${repo}/manifests/${ref}`, scopes, { headers: { accept: ACCEPT }, signal });
    res.stream.resume();
    if (res.status === 404) return null;
    if (res.status !== 200) await this.fail(res, `looking up ${repo}:${ref}`);
    const digest = res.headers['docker-content-digest'];
    if (typeof digest !== 'string') throw new RegistryError(`${repo}:${ref}: the registry sent no Docker-Content-Digest`, null, false);
    return checkDigest(digest);
  }

  /** A manifest, checked against the digest asked for (or the one the registry names for a tag). */
  async manifest(repo: string, ref: string, signal?: AbortSignal): Promise<Manifest> {
    const res = await this.request('GET', `/v2/${repo}/manifests/${ref}`, [`repository:${repo}:pull`], {
      headers: { accept: ACCEPT },
      signal,
    });
    if (res.status !== 200) await this.fail(res, `fetching the manifest ${repo}:${ref}`);
    const body = await readBuffer(res.stream, 4 * 1024 * 1024);
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const expected = ref.startsWith('sha256:')
      ? ref
      : typeof res.headers['docker-content-digest'] === 'string'
        ? res.headers['docker-content-digest']
        : digest;
    if (digest !== expected)
      throw new RegistryError(`the manifest ${repo}:${ref} arrived with digest ${digest}, not ${expected}`, null, false);
    let parsed: Manifest['parsed'];
    try {
      parsed = JSON.parse(body.toString('utf8')) as Manifest['parsed'];
    } catch {
      throw new RegistryError(`the manifest ${repo}:${ref} is not JSON`, null, false);
    }
    const mediaType = parsed.mediaType ?? String(res.headers['content-type'] ?? '').split(';')[0];
    if (!(Object.values(MANIFEST_TYPES) as string[]).includes(mediaType)) {
      throw new RegistryError(
        `the manifest ${repo}:${ref} is ${mediaType || 'of no media type'}: this edge syncs OCI and Docker schema 2 manifests and indexes`,
        null,
        false,
      );
    }
    return { digest, mediaType, body, parsed };
  }

  async putManifest(repo: string, ref: string, manifest: Manifest, signal?: AbortSignal): Promise<void> {
    const res = await this.request('PUT', `/v2/${repo}/manifests/${ref}`, [`repository:${repo}:pull,push`], {
      headers: { 'content-type': manifest.mediaType, 'content-length': String(manifest.body.length) },
      body: manifest.body,
      signal,
    });
    res.stream.resume();
    if (res.status !== 201) await this.fail(res, `putting the manifest ${repo}:${ref}`);
    const digest = res.headers['docker-content-digest'];
    if (typeof digest === 'string' && digest !== manifest.digest)
      throw new RegistryError(`${repo}:${ref} was stored as ${digest}, not ${manifest.digest}`, null, false);
  }

  /** Deletes a manifest by digest (distribution removes every tag on it). */
  async deleteManifest(repo: string, digest: string, signal?: AbortSignal): Promise<void> {
    const res = await this.request('DELETE', `/v2/${repo}/manifests/${digest}`, [`repository:${repo}:pull,push,delete`], { signal });
    res.stream.resume();
    if (res.status !== 202 && res.status !== 404) await this.fail(res, `deleting ${repo}@${digest}`);
  }

  async hasBlob(repo: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repo}/blobs/${digest}`, [`repository:${repo}:pull`], { signal });
    res.stream.resume();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `looking up the blob ${digest} in ${repo}`);
  }

  /**
   * The blob's bytes as a stream (redirects to a storage backend followed), from `offset` on when
   * it is not 0: `start` says where the stream begins (0 when the registry ignored the Range).
   */
  async openBlob(repo: string, digest: string, signal?: AbortSignal, offset = 0): Promise<{ stream: IncomingMessage; start: number }> {
    const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
    let res = await this.request('GET', `/v2/${repo}/blobs/${digest}`, [`repository:${repo}:pull`], { signal, headers });
    for (let hops = 0; hops < 3 && [301, 302, 303, 307, 308].includes(res.status); hops++) {
      res.stream.resume();
      const location = new URL(String(res.headers.location), this.baseUrl);
      res = await this.send('GET', location, headers, undefined, signal);
    }
    if (offset > 0 && res.status === 206) {
      const start = Number(/^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1]);
      if (start === offset) return { stream: res.stream, start };
      res.stream.destroy();
      throw new RegistryError(`fetching the blob ${digest} of ${repo} from byte ${offset}: the registry sent another range`, null, false);
    }
    if (res.status !== 200) await this.fail(res, `fetching the blob ${digest} of ${repo}`);
    return { stream: res.stream, start: 0 };
  }

  /**
   * Mounts a blob from another repository of this registry; false when the registry would
   * rather have it uploaded (it does not have it, or may not mount it).
   */
  async mountBlob(repo: string, digest: string, from: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.request(
      'POST',
      `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
      [`repository:${repo}:pull,push`, `repository:${from}:pull`],
      {
        headers: { 'content-length': '0' },
        signal,
      },
    );
    res.stream.resume();
    if (res.status === 201) return true;
    if (res.status === 202) {
      // an upload was opened instead: cancel it, nothing was sent
      const location = res.headers.location;
      if (typeof location === 'string') {
        const cancel = await this.request('DELETE', '', [`repository:${repo}:pull,push`], {
          signal,
          absolute: new URL(location, this.baseUrl).toString(),
        }).catch(() => null);
        cancel?.stream.resume();
      }
      return false;
    }
    return this.fail(res, `mounting ${digest} into ${repo}`);
  }

  /** Opens an upload session; its URL (absolute) takes the bytes. */
  async startUpload(repo: string, signal?: AbortSignal): Promise<string> {
    const res = await this.request('POST', `/v2/${repo}/blobs/uploads/`, [`repository:${repo}:pull,push`], {
      headers: { 'content-length': '0' },
      signal,
    });
    res.stream.resume();
    if (res.status !== 202) await this.fail(res, `starting an upload to ${repo}`);
    return new URL(String(res.headers.location), this.baseUrl).toString();
  }

  /**
   * How many bytes an upload session holds, or null when the registry no longer knows it (it
   * expired, was completed or cancelled; distribution also refuses a session URL older than
   * its last chunk).
   */
  async uploadOffset(repo: string, location: string, signal?: AbortSignal): Promise<number | null> {
    const res = await this.request('GET', '', [`repository:${repo}:pull,push`], { signal, absolute: location });
    res.stream.resume();
    if (res.status === 404 || res.status === 400) return null;
    if (res.status !== 204) await this.fail(res, `looking up an upload to ${repo}`);
    return rangeEnd(res.headers.range);
  }

  /**
   * Appends a stream to an upload session (one PATCH, chunked): the bytes the stream gives
   * before it ends are kept, so a source that breaks off should end the stream, not destroy it.
   * Answers the session's next URL and how many bytes it now holds.
   */
  async appendUpload(repo: string, location: string, body: Readable): Promise<{ location: string; offset: number }> {
    const res = await this.request('PATCH', '', [`repository:${repo}:pull,push`], {
      absolute: location,
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
    res.stream.resume();
    if (res.status !== 202) await this.fail(res, `uploading to ${repo}`);
    return { location: new URL(String(res.headers.location ?? location), this.baseUrl).toString(), offset: rangeEnd(res.headers.range) };
  }

  /** Completes an upload session as the blob `digest` (the registry checks the digest of what it holds). */
  async finishUpload(repo: string, location: string, digest: string, signal?: AbortSignal): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const res = await this.request('PUT', '', [`repository:${repo}:pull,push`], {
      absolute: url.toString(),
      headers: { 'content-length': '0' },
      signal,
    });
    res.stream.resume();
    if (res.status !== 201) await this.fail(res, `completing the upload of ${digest} to ${repo}`);
  }

  /** Cancels an upload session (best effort: an unknown one is fine). */
  async cancelUpload(repo: string, location: string): Promise<void> {
    const res = await this.request('DELETE', '', [`repository:${repo}:pull,push`], { absolute: location }).catch(() => null);
    res?.stream.resume();
  }
}

/** The bytes an upload holds from its `Range: 0-<last>` header (distribution answers "0-0" for none). */
function rangeEnd(range: string | string[] | undefined): number {
  const m = /^0-(\d+)$/.exec(String(range ?? ''));
  if (!m) return 0;
  const last = Number(m[1]);
  return last === 0 ? 0 : last + 1;
}

async function readBuffer(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new RegistryError(`the answer is larger than ${limit} bytes`, null, false);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const readText = async (stream: Readable, limit: number) => (await readBuffer(stream, limit)).toString('utf8');

/** A token from a realm (Canopy's /oauth2/token, or a parent edge's) with HTTP Basic credentials. */
export function basicRealmAuthorize(username: string, password: string, opts: { ca?: Buffer } = {}): Authorize {
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  return async (challenge, scopes, signal) => {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    for (const s of scopes) url.searchParams.append('scope', s);
    const lib = url.protocol === 'https:' ? https : http;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = lib.request(url, { method: 'GET', headers: { authorization: basic }, ca: opts.ca, signal }, resolve);
      req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
      req.on('error', (e) => reject(new RegistryError(`the token service ${url.origin}${url.pathname}: ${e.message}`, null, true)));
      req.end();
    });
    const text = await readText(res, 1024 * 1024);
    if (res.statusCode !== 200) {
      const status = res.statusCode ?? 0;
      throw new RegistryError(
        `the token service ${url.origin}${url.pathname} answered ${status}: ${text.slice(0, 200)}`,
        status,
        status >= 500 || status === 429,
      );
    }
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`the token service ${url.origin} sent no token`, null, false);
    return `Bearer ${token}`;
  };
}
