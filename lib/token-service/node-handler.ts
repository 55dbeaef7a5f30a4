// Serves /oauth2/token straight from Canopy's Node server, ahead of Next.js: the token endpoint
// is the hot path that every registry client hits, and neither Next's page machinery nor
// fetch's Request/Response objects add anything to it. (The Next route in app/oauth2/token
// serves the same endpoint under `next dev`.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from '@/lib/auth/client-address';
import { issueToken } from './endpoint';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
const MAX_BODY = 64 * 1024;

export function isTokenRequest(url: string | undefined): boolean {
  return url === '/oauth2/token' || (url?.startsWith('/oauth2/token?') ?? false);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
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
    const tooLarge = (error as Error).message === 'request body too large';
    if (!tooLarge) console.error('token endpoint: unexpected error', error);
    if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500, { 'Content-Type': 'application/json', ...SECURITY_HEADERS });
    res.end(JSON.stringify({ errors: [{ code: tooLarge ? 'SIZE_INVALID' : 'UNKNOWN', message: tooLarge ? 'The request body is too large.' : 'Something went wrong on our side.' }] }));
  }
}
