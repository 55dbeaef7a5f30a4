// The Docker Registry v2 token protocol's wire format (distribution's docs/spec/auth/token.md and
// oauth.md), without the question of who may have what: reading GET and POST token requests and
// writing answers and errors that Docker and OAuth2 clients both read. Pure: Canopy's token
// endpoint and Canopy Edge's speak it alike.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicCredentials } from '@/lib/auth/basic';

/** The largest token-request body read, on every path that reaches the endpoint. */
export const MAX_TOKEN_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super('request body too large');
  }
}
export type TokenRequest = {
  service: string | null;
  scopes: string[];
  offline: boolean;
  grantType: 'password' | 'refresh_token';
  username: string | null;
  password: string | null;
  refreshToken: string | null;
};

/**
 * The endpoint is written against this small shape rather than fetch's Request/Response, so that
 * Canopy's Node server can serve it without building those objects on its hottest path.
 */
export type TokenHttpRequest = {
  method: string;
  /** path and query string */
  url: string;
  header: (name: string) => string | null | undefined;
  body: () => Promise<string>;
  clientAddress: string;
};
export type TokenHttpResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** the body is ASCII alone (a grant): written as latin1, its length its byte count, with no scan for UTF-8's */
  ascii?: true;
};

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});

export function respond(status: number, body: unknown, extra?: Record<string, string>): TokenHttpResponse {
  // a grant (no extra header) shares one frozen object rather than copying it
  return { status, headers: extra ? { ...JSON_HEADERS, ...extra } : JSON_HEADERS, body: JSON.stringify(body) };
}

/** An error readable by Docker clients (`errors`) and OAuth2 clients (`error`, `error_description`). */
export function errorResponse(status: number, message: string, extra: Record<string, string> = {}, specific?: string): TokenHttpResponse {
  const code = specific
    ? specific.toUpperCase()
    : status === 401
      ? 'UNAUTHORIZED'
      : status === 429
        ? 'TOOMANYREQUESTS'
        : status >= 500
          ? 'UNKNOWN'
          : 'INVALID_REQUEST';
  const oauth =
    specific ?? (status === 401 ? 'invalid_grant' : status === 429 ? 'slow_down' : status >= 500 ? 'server_error' : 'invalid_request');
  const headers = status === 401 ? { 'WWW-Authenticate': 'Basic realm="canopy"', ...extra } : extra;
  return respond(status, { errors: [{ code, message }], error: oauth, error_description: message }, headers);
}

export function readGet(req: TokenHttpRequest): TokenRequest {
  // the query string alone, as URL would read it (up to a fragment), without parsing a whole URL
  const query = req.url.indexOf('?');
  const fragment = req.url.indexOf('#');
  const params = new URLSearchParams(
    query < 0 || (fragment >= 0 && fragment < query) ? '' : req.url.slice(query + 1, fragment > query ? fragment : undefined),
  );
  const basic = basicCredentials(req.header('authorization'));
  return {
    service: params.get('service'),
    scopes: params.getAll('scope'),
    offline: params.get('offline_token') === 'true',
    grantType: 'password',
    username: basic?.username ?? params.get('account'),
    password: basic?.password ?? null,
    refreshToken: null,
  };
}

export async function readPost(req: TokenHttpRequest): Promise<TokenRequest | TokenHttpResponse> {
  const basic = basicCredentials(req.header('authorization'));
  const type = req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    return errorResponse(400, 'POST the token request as application/x-www-form-urlencoded.');
  }
  let text: string;
  try {
    text = await req.body();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return errorResponse(413, `The request body is larger than ${MAX_TOKEN_BODY_BYTES} bytes.`);
    throw error;
  }
  const form = new URLSearchParams(text);
  const grantType = form.get('grant_type');
  if (grantType !== 'password' && grantType !== 'refresh_token') {
    return errorResponse(400, 'grant_type must be password or refresh_token.');
  }
  if (!form.get('client_id')) return errorResponse(400, 'client_id is required.');
  return {
    service: form.get('service'),
    scopes: form.getAll('scope'),
    offline: form.get('access_type') === 'offline',
    grantType,
    username: form.get('username') ?? basic?.username ?? null,
    password: form.get('password') ?? basic?.password ?? null,
    refreshToken: form.get('refresh_token'),
  };
}

/** A token request's body from a Node request, refused (BodyTooLargeError) past MAX_TOKEN_BODY_BYTES. */
export async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_TOKEN_BODY_BYTES) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_TOKEN_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// issued_at as ISO 8601, made once per second rather than once per grant
let issuedText = { at: Number.NaN, text: '' };
function issuedAtText(issuedAt: number): string {
  if (issuedText.at !== issuedAt) issuedText = { at: issuedAt, text: JSON.stringify(new Date(issuedAt * 1000).toISOString()) };
  return issuedText.text;
}

/**
 * The answer to a granted request; a refresh token when one was asked for (or used). `jws`: the
 * token is a compact JWS this server just signed (signEs256Jwt: base64url segments and dots), which
 * JSON quotes without escaping anything; any other token is encoded with JSON.stringify.
 */
export function grantResponse(token: string, issuedAt: number, expiresIn: number, refreshToken?: string, jws = false): TokenHttpResponse {
  // the JSON written directly: the token (a kilobyte with its certificate) is quoted once for
  // both of its fields, the same text JSON.stringify makes of the object
  const quoted = jws ? `"${token}"` : JSON.stringify(token);
  const refresh = refreshToken ? `,"refresh_token":${JSON.stringify(refreshToken)}` : '';
  const body = `{"token":${quoted},"access_token":${quoted},"expires_in":${JSON.stringify(expiresIn)},"issued_at":${issuedAtText(issuedAt)}${refresh}}`;
  // a JWS this server signed, a number and a timestamp: ASCII, unless a refresh token is not
  return jws && (refreshToken === undefined || PRINTABLE_ASCII.test(refreshToken))
    ? { status: 200, headers: JSON_HEADERS, body, ascii: true }
    : { status: 200, headers: JSON_HEADERS, body };
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
/** The same as `writeHead`'s flat list (`[name, value, name, value, …]`), made once. */
const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS).flat();
/** A grant's headers (JSON_HEADERS and the security headers) as that list. */
const GRANT_HEADER_LIST = [...Object.entries(JSON_HEADERS).flat(), ...SECURITY_HEADER_LIST];

/**
 * Serves a token endpoint (`issue`) on a Node request: no fetch objects on the hot path, and no
 * promise when `issue` answers at once. The length is sent, so the answer goes out in one write
 * rather than chunked.
 */
export function serveTokenHttp(
  req: IncomingMessage,
  res: ServerResponse,
  issue: (request: TokenHttpRequest) => TokenHttpResponse | Promise<TokenHttpResponse>,
  clientAddress: string,
  onUnexpected: (error: unknown) => void = (error) => console.error('token endpoint: unexpected error', error),
): void | Promise<void> {
  const fail = (error: unknown) => {
    const tooLarge = error instanceof BodyTooLargeError;
    if (!tooLarge) onUnexpected(error);
    if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500, { 'Content-Type': 'application/json', ...SECURITY_HEADERS });
    res.end(
      JSON.stringify({
        errors: [
          {
            code: tooLarge ? 'SIZE_INVALID' : 'UNKNOWN',
            message: tooLarge ? 'The request body is too large.' : 'Something went wrong on our side.',
          },
        ],
      }),
    );
  };
  const write = (result: TokenHttpResponse) => {
    // a flat list: no header object copied per answer, the grant's own made once
    let headers: string[];
    if (result.headers === JSON_HEADERS) headers = GRANT_HEADER_LIST.slice();
    else {
      headers = [];
      for (const name in result.headers) headers.push(name, result.headers[name]);
      headers.push(...SECURITY_HEADER_LIST);
    }
    if (result.ascii) {
      headers.push('Content-Length', String(result.body.length));
      res.writeHead(result.status, headers);
      res.end(result.body, 'latin1');
      return;
    }
    headers.push('Content-Length', String(Buffer.byteLength(result.body)));
    res.writeHead(result.status, headers);
    res.end(result.body);
  };
  try {
    const result = issue({
      method: req.method ?? 'GET',
      url: req.url ?? '/oauth2/token',
      header: (name) => rawHeader(req.rawHeaders, name),
      body: () => readBody(req),
      clientAddress,
    });
    if (result instanceof Promise) return result.then(write).catch(fail);
    write(result);
  } catch (error) {
    fail(error);
  }
}

/**
 * A request header's first value, read from Node's raw list (`[name, value, …]` as received):
 * `req.headers` is built on first use, every header of the request copied, and the token path
 * needs two. The first value, as Node keeps for Authorization and Content-Type.
 */
export function rawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const candidate = rawHeaders[i];
    if (candidate.length === name.length && candidate.toLowerCase() === name) return rawHeaders[i + 1];
  }
  return undefined;
}

/**
 * Whether a request's target is the token endpoint, compared as Next.js will route it: dot
 * segments (`/oauth2/./token`, `/oauth2/%2e/token`) resolved, so that no spelling of the path
 * escapes this handler's body cap.
 */
export function isTokenRequest(url: string | undefined): boolean {
  if (!url) return false;
  if (url === '/oauth2/token' || url.startsWith('/oauth2/token?')) return true;
  if (!url.startsWith('/')) return false;
  try {
    return new URL(`http://canopy.local${url}`).pathname.replace(/\/+$/, '') === '/oauth2/token';
  } catch {
    return false;
  }
}
