// The relay: registries below this one reach the gateway through this edge's login server (their
// ParentGatewayEndpoint). Only normalised paths are relayed —
//   /gateway/v1/registries/<this cloud registry>/connected-registries/<a registry below>/config|status|sync-runs
// — to this edge's own upstream (Canopy, or its parent edge), long polls included. While the
// upstream is unreachable, a config request is answered from the last copy relayed for that
// registry, and only to the same credentials and instance that fetched it (compared by a salted
// hash; the password is never stored), and status reports are queued in the data dir
// (relay-queue.json: the report, its headers but Authorization, and a salted hash of the
// credentials and instance that sent it) until the upstream answers again. They go up with the
// credentials of the child's next request whose hash matches: the relay keeps those in memory
// only, so after a restart a queued report waits for its child's next poll.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkSaltedVerifier, saltedVerifier } from '@/lib/auth/secrets';
import { basicCredentials } from '@/lib/auth/basic';
import { verifyTokenPassword } from '@/lib/tokens/passwords';
import type { EdgeConfig } from './config';
import type { DataDir } from './data-dir';
import type { Logger } from './log';
import type { Upstream } from './upstream';

const GATEWAY_PATH =
  /^\/gateway\/v1\/registries\/([A-Za-z][A-Za-z0-9]{4,49})\/connected-registries\/([A-Za-z][A-Za-z0-9]{4,49})\/(config|status|sync-runs)$/;
const FORWARDED_HEADERS = ['authorization', 'if-none-match', 'x-connected-registry-instance', 'x-request-id', 'content-type'];
const MAX_STATUS_BODY = 64 * 1024;
const MAX_QUEUED = 1000;

type CachedConfig = { etag: string; body: string; credential: string; savedAt: string };
type QueuedStatus = { registry: string; path: string; headers: Record<string, string>; body: string; credential: string };
type SeenCredentials = { authorization: string; credential: string };
const QUEUE_FILE = 'relay-queue.json';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function gatewayError(res: ServerResponse, status: number, code: string, message: string) {
  sendJson(res, status, { error: { code, message, details: [] } });
}

async function readLimited(req: IncomingMessage, max: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class Relay {
  private cache: Record<string, CachedConfig>;
  private queue: QueuedStatus[];
  /** per registry below: the credentials of its last request, in memory only (they hold its password) */
  private seen = new Map<string, SeenCredentials>();
  private flushing = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly dataDir: DataDir,
    private readonly log: Logger,
    private readonly config: () => EdgeConfig | null,
  ) {
    this.cache = dataDir.readJson<Record<string, CachedConfig>>('relay-cache.json') ?? {};
    const stored = dataDir.readJson<QueuedStatus[]>(QUEUE_FILE);
    this.queue = Array.isArray(stored) ? stored.filter((q) => q && typeof q.credential === 'string' && typeof q.path === 'string') : [];
  }

  get queuedReports(): number {
    return this.queue.length;
  }

  private credentialOf(req: IncomingMessage): string {
    return `${req.headers.authorization ?? ''}\n${req.headers['x-connected-registry-instance'] ?? ''}`;
  }

  private forwardHeaders(req: IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const h of FORWARDED_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') out[h] = v;
    }
    return out;
  }

  /** GET /gateway/v1/whoami for a direct child: answered here, from the configuration. */
  private whoami(req: IncomingMessage, res: ServerResponse, url: URL, config: EdgeConfig) {
    const name = url.searchParams.get('name') ?? '';
    const endpoint = url.searchParams.get('parentEndpoint') ?? '';
    const child = config.childSyncTokens.find((c) => c.registry.toLowerCase() === name.toLowerCase());
    const credentials = basicCredentials(req.headers.authorization);
    const valid =
      child &&
      endpoint.toLowerCase() === config.loginServer.toLowerCase() &&
      credentials?.username.toLowerCase() === child.name.toLowerCase() && // token names are case-insensitive, as in Canopy
      child.passwords.some(
        (p) => verifyTokenPassword(p.verifier, credentials.password) && (!p.expiry || Date.parse(p.expiry) > Date.now()),
      );
    if (!valid) return gatewayError(res, 401, 'unauthorized', 'The sync token name or password is wrong.');
    sendJson(res, 200, { registry: config.registry, connectedRegistry: child.registry });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const config = this.config();
    if (!config) return gatewayError(res, 503, 'unavailable', 'This edge has no configuration yet.');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const url = new URL(raw, 'http://edge.local');
    if (pathname === '/gateway/v1/whoami' && req.method === 'GET') return this.whoami(req, res, url, config);
    const m = GATEWAY_PATH.exec(pathname);
    if (!m || m[1].toLowerCase() !== config.registry.toLowerCase() || !config.descendants.includes(m[2].toLowerCase())) {
      this.log.warn('relay.refused', 'not a gateway path of a registry below this one', { path: pathname.slice(0, 200) });
      return gatewayError(res, 404, 'not_found', 'This edge relays only the gateway requests of the registries below it.');
    }
    const [, registry, name, what] = m;
    const path = `/gateway/v1/registries/${registry}/connected-registries/${name}/${what}`;
    this.remember(req, name.toLowerCase());
    if (what === 'config') {
      if (req.method !== 'GET') return gatewayError(res, 405, 'method_not_allowed', 'Use GET.');
      const wait = url.searchParams.get('wait');
      const query = wait !== null && /^\d{1,2}$/.test(wait) ? `?wait=${wait}` : '';
      return this.relayConfig(req, res, name.toLowerCase(), path + query, Number(wait ?? 0));
    }
    if (req.method !== 'POST') return gatewayError(res, 405, 'method_not_allowed', 'Use POST.');
    // a sync-run report lists up to 500 repositories: 256 KiB, as the gateway allows
    const body = await readLimited(req, what === 'sync-runs' ? 256 * 1024 : MAX_STATUS_BODY);
    if (body === null) return gatewayError(res, 413, 'too_large', 'The status report is too large.');
    return this.relayStatus(req, res, name, path, body);
  }

  /** The child's credentials, for its queued reports: kept while the process lives, never written. */
  private remember(req: IncomingMessage, key: string) {
    const authorization = req.headers.authorization;
    if (typeof authorization !== 'string') return;
    const before = this.seen.get(key);
    if (before?.authorization === authorization && checkSaltedVerifier(before.credential, this.credentialOf(req))) return;
    this.seen.set(key, { authorization, credential: saltedVerifier(this.credentialOf(req)) });
    if (this.queue.some((q) => q.registry === key)) void this.flush();
  }

  private async relayConfig(req: IncomingMessage, res: ServerResponse, key: string, path: string, wait: number) {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let upstreamRes: IncomingMessage;
    try {
      upstreamRes = await this.upstream.open('GET', path, this.forwardHeaders(req), {
        signal: abort.signal,
        timeoutMs: (wait + 30) * 1000,
      });
    } catch (error) {
      if (abort.signal.aborted) return;
      return this.answerOffline(req, res, key, wait, (error as Error).message);
    }
    const chunks: Buffer[] = [];
    try {
      for await (const c of upstreamRes) chunks.push(c as Buffer);
    } catch (error) {
      if (abort.signal.aborted) return;
      return this.answerOffline(req, res, key, wait, (error as Error).message);
    }
    const body = Buffer.concat(chunks);
    const status = upstreamRes.statusCode ?? 502;
    if (status === 200 && typeof upstreamRes.headers.etag === 'string') {
      this.cache[key] = {
        etag: upstreamRes.headers.etag,
        body: body.toString('utf8'),
        credential: saltedVerifier(this.credentialOf(req)),
        savedAt: new Date().toISOString(),
      };
      this.saveCache();
    } else if (status === 401 || status === 403) {
      // a disabled registry or a changed password: no offline copy for it any more
      if (this.cache[key]) {
        delete this.cache[key];
        this.saveCache();
      }
    }
    if (status !== 200 && status !== 304)
      this.log.warn('relay.upstream', `upstream answered ${status} for ${key}'s configuration`, { registry: key, status });
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'etag', 'cache-control', 'www-authenticate', 'retry-after', 'x-request-id']) {
      const v = upstreamRes.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  private answerOffline(req: IncomingMessage, res: ServerResponse, key: string, wait: number, reason: string) {
    const cached = this.cache[key];
    if (!cached || !checkSaltedVerifier(cached.credential, this.credentialOf(req))) {
      this.log.warn('relay.error', `upstream unreachable (${reason}) and no copy of ${key}'s configuration for these credentials`, {
        registry: key,
      });
      return gatewayError(res, 503, 'upstream_unavailable', 'The parent cannot reach Canopy right now; try again later.');
    }
    const headers = { ETag: cached.etag, 'Cache-Control': 'no-store', 'X-Canopy-Edge-Offline': cached.savedAt };
    if (req.headers['if-none-match'] === cached.etag) {
      // nothing can change while offline: hold the long poll a while, as the gateway would
      const timer = setTimeout(() => (res.writeHead(304, headers), res.end()), Math.min(wait, 20) * 1000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    this.log.info('relay.offline', `answered ${key}'s configuration from the copy of ${cached.savedAt}`, { registry: key });
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    res.end(cached.body);
  }

  private async relayStatus(req: IncomingMessage, res: ServerResponse, name: string, path: string, body: string) {
    const headers = this.forwardHeaders(req);
    try {
      const answer = await this.upstream.request('POST', path, headers, { body, timeoutMs: 30_000 });
      const out: Record<string, string> = {};
      if (typeof answer.headers['content-type'] === 'string') out['content-type'] = answer.headers['content-type'];
      res.writeHead(answer.status, out);
      res.end(answer.body);
    } catch (error) {
      // keep the time it was observed: Canopy records that, not the time it finally arrives
      let queued = body;
      try {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        // (a sync-run report carries its own times)
        if (parsed && typeof parsed === 'object' && !parsed.observedTime && !path.endsWith('/sync-runs'))
          queued = JSON.stringify({ ...parsed, observedTime: new Date().toISOString() });
      } catch {
        return gatewayError(res, 400, 'invalid_request', 'The request body is not valid JSON.');
      }
      const { authorization: _secret, ...kept } = headers;
      this.queue.push({
        registry: name.toLowerCase(),
        path,
        headers: kept,
        body: queued,
        credential: saltedVerifier(this.credentialOf(req)),
      });
      if (this.queue.length > MAX_QUEUED) this.queue.shift();
      this.saveQueue();
      this.log.info('relay.queued', `upstream unreachable (${(error as Error).message}); queued ${name}'s status report`, {
        registry: name,
        queued: this.queue.length,
      });
      sendJson(res, 202, { queued: true });
    }
  }

  /**
   * Sends the queued status reports, oldest first, each with the credentials that sent it (the
   * child's latest request, when its hash matches); called when the upstream answers again and
   * when a child with queued reports calls. A report whose child now calls with other
   * credentials is dropped: it must never go up under credentials that did not send it.
   */
  async flush(): Promise<void> {
    if (this.flushing || !this.queue.length) return;
    this.flushing = true;
    try {
      for (const next of [...this.queue]) {
        const seen = this.seen.get(next.registry);
        if (!seen) continue; // after a restart: wait for the child's next request
        const instance = next.headers['x-connected-registry-instance'] ?? '';
        if (!checkSaltedVerifier(next.credential, `${seen.authorization}\n${instance}`)) {
          this.log.warn('relay.dropped', `dropped a queued status report of ${next.registry}: it now calls with other credentials`, {
            registry: next.registry,
          });
        } else {
          const answer = await this.upstream.request(
            'POST',
            next.path,
            { ...next.headers, authorization: seen.authorization },
            { body: next.body, timeoutMs: 30_000 },
          );
          this.log.info('relay.sent', `sent a queued status report (${answer.status})`, { path: next.path, status: answer.status });
        }
        this.queue.splice(this.queue.indexOf(next), 1);
        this.saveQueue();
      }
    } catch {
      /* still unreachable: keep the rest */
    } finally {
      this.flushing = false;
    }
  }

  private saveQueue() {
    this.dataDir.writeJson(QUEUE_FILE, this.queue);
  }

  private saveCache() {
    this.dataDir.writeJson('relay-cache.json', this.cache);
  }
}
