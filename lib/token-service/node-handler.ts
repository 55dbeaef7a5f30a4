// Serves /oauth2/token straight from Canopy's Node server, ahead of Next.js: the token endpoint
// is the hot path that every registry client hits, and neither Next's page machinery nor
// fetch's Request/Response objects add anything to it. (The Next route in app/oauth2/token
// serves the same endpoint under `next dev`.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardedAddress, trustsProxy } from '@/lib/auth/client-address';
import { noteUnexpectedError } from '@/lib/rate-limit/unexpected-errors';
import { issueToken } from './endpoint';
import { isTokenRequest, serveTokenHttp } from './protocol';

export { isTokenRequest };

/**
 * The client's address: the socket's, or the first X-Forwarded-For entry behind a trusted proxy.
 * Read without `req.headers`, which Node builds on first use (a cost per request the token path
 * does not need to pay: it reads the two headers it wants from the raw list).
 */
export function tokenClientAddress(req: IncomingMessage, trust = trustsProxy()): string {
  return (trust && forwardedAddress(req.headers, true)) || req.socket.remoteAddress || 'unknown';
}

export function serveTokenRequest(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  const address = tokenClientAddress(req);
  // nobody was authenticated yet when reading the request failed
  return serveTokenHttp(req, res, issueToken, address, (error) => noteUnexpectedError(address, 'token endpoint: unexpected error', error));
}
