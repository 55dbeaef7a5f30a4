// Serves /oauth2/token straight from Canopy's Node server, ahead of Next.js: the token endpoint
// is the hot path that every registry client hits, and Next's page machinery adds nothing to it.
// (The Next route in app/oauth2/token serves the same handler under `next dev`.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleTokenRequest } from './endpoint';

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function isTokenRequest(url: string | undefined): boolean {
  return url === '/oauth2/token' || (url?.startsWith('/oauth2/token?') ?? false);
}

export async function serveTokenRequest(req: IncomingMessage, res: ServerResponse, clientAddress: string): Promise<void> {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    headers.set('x-canopy-client-address', clientAddress);
    let body: Buffer | undefined;
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > 64 * 1024) {
          res.writeHead(413, SECURITY_HEADERS).end();
          return;
        }
        chunks.push(chunk as Buffer);
      }
      body = Buffer.concat(chunks);
    }
    const request = new Request(`http://canopy.local${req.url}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
    const response =
      req.method === 'GET' || req.method === 'POST'
        ? await handleTokenRequest(request)
        : new Response(null, { status: 405, headers: { Allow: 'GET, POST' } });
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...SECURITY_HEADERS });
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error('token endpoint: unexpected error', error);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json', ...SECURITY_HEADERS });
    res.end('{"errors":[{"code":"UNKNOWN","message":"Something went wrong on our side."}]}');
  }
}
