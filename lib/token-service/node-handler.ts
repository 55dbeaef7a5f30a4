// Serves /oauth2/token straight from Canopy's Node server, ahead of Next.js: the token endpoint
// is the hot path that every registry client hits, and neither Next's page machinery nor
// fetch's Request/Response objects add anything to it. (The Next route in app/oauth2/token
// serves the same endpoint under `next dev`.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from '@/lib/auth/client-address';
import { noteUnexpectedError } from '@/lib/rate-limit/unexpected-errors';
import { issueToken } from './endpoint';
import { isTokenRequest, serveTokenHttp } from './protocol';

export { isTokenRequest };

export function serveTokenRequest(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
  // the server has put the socket's address in x-canopy-client-address
  const address = clientAddress(req.headers);
  // nobody was authenticated yet when reading the request failed
  return serveTokenHttp(req, res, issueToken, address, (error) => noteUnexpectedError(address, 'token endpoint: unexpected error', error));
}
