// Serves /oauth2/token straight from Canopy's Node server, ahead of Next.js: the token endpoint
// is the hot path that every registry client hits, and neither Next's page machinery nor
// fetch's Request/Response objects add anything to it. (The Next route in app/oauth2/token
// serves the same endpoint under `next dev`.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from '@/lib/auth/client-address';
import { noteUnexpectedError } from '@/lib/rate-limit/unexpected-errors';
import { BodyTooLargeError, issueToken, MAX_TOKEN_BODY_BYTES } from './endpoint';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

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

async function readBody(req: IncomingMessage): Promise<string> {
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

export async function serveTokenRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const result = await issueToken({
      method: req.method ?? 'GET',
      url: req.url ?? '/oauth2/token',
      header: (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      body: () => readBody(req),
      // the server has put the socket's address in x-canopy-client-address
      clientAddress: clientAddress(req.headers),
    });
    res.writeHead(result.status, { ...result.headers, ...SECURITY_HEADERS });
    res.end(result.body);
  } catch (error) {
    const tooLarge = error instanceof BodyTooLargeError;
    // nobody was authenticated yet when reading the request failed
    if (!tooLarge) noteUnexpectedError(clientAddress(req.headers), 'token endpoint: unexpected error', error);
    if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500, { 'Content-Type': 'application/json', ...SECURITY_HEADERS });
    res.end(JSON.stringify({ errors: [{ code: tooLarge ? 'SIZE_INVALID' : 'UNKNOWN', message: tooLarge ? 'The request body is too large.' : 'Something went wrong on our side.' }] }));
  }
}
