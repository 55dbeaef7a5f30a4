// The edge's way up: Canopy's gateway for a registry under the cloud registry, or the parent
// edge's login server (which relays) for a nested one. node:http(s) rather than fetch, so that
// a private CA (--ca-file) and streaming relays need nothing beyond Node itself.
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';

export type UpstreamResponse = { status: number; headers: IncomingHttpHeaders; body: string };

export class Upstream {
  private readonly ca: Buffer | undefined;
  private readonly agent: http.Agent;
  constructor(
    readonly baseUrl: string,
    caFile: string | null,
  ) {
    this.ca = caFile ? readFileSync(caFile) : undefined;
    this.agent = baseUrl.startsWith('https:') ? new https.Agent({ keepAlive: true, ca: this.ca }) : new http.Agent({ keepAlive: true });
  }

  /** Sends a request and hands back the response stream (for relays). Rejects on network errors. */
  open(
    method: string,
    path: string,
    headers: Record<string, string>,
    opts: { body?: Buffer | string; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<IncomingMessage> {
    const url = new URL(this.baseUrl + path);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method,
          headers: opts.body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(opts.body)) } : headers,
          agent: this.agent,
          signal: opts.signal,
        },
        resolve,
      );
      req.setTimeout(opts.timeoutMs ?? 90_000, () => req.destroy(new Error('upstream timed out')));
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  async request(
    method: string,
    path: string,
    headers: Record<string, string>,
    opts: { body?: string; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<UpstreamResponse> {
    const res = await this.open(method, path, headers, opts);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  close() {
    this.agent.destroy();
  }
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The error code of a JSON error body `{"error": {"code"}}`, if any. */
export function errorCode(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : null;
  } catch {
    return null;
  }
}
