// Next.js's router decodes each path segment of a dynamic route with decodeURIComponent; in a
// production build a segment that does not decode (`%zz`, or `%E0%A4%A`, a cut UTF-8 sequence)
// ends in a bare "Internal Server Error" (development mode answers 400). The server checks the
// path first (answerMalformedPath), so that no address, however malformed, reaches that 500.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The first path segment that does not percent-decode, or null when every one does. */
export function malformedPathSegment(pathname: string): string | null {
  // without a `%` nothing can fail to decode: every request's path is checked, most have none
  if (!pathname.includes('%')) return null;
  for (const segment of pathname.split('/')) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return null;
}

/**
 * The path with each segment that does not decode read literally (its `%` escaped as `%25`), as
 * the WHATWG URL standard's lenient percent-decoding reads it: `/tokens/%zz` names the token `%zz`.
 */
export function literalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => (malformedPathSegment(segment) === null ? segment : segment.replace(/%/g, '%25')))
    .join('/');
}

// where programs call: they get the API's JSON error format, never an HTML page
const API_PREFIXES = ['/api/', '/oauth2/', '/gateway/'];

/**
 * Run by the server before Next.js sees a request (a rewrite in proxy.ts comes too late: the page
 * still decodes its parameters from the address as sent). A malformed path under /api, /gateway
 * or /oauth2 is answered here, 400 in the API's error format (true: answered); a page's path is
 * made literal (`/tokens/%zz` is the page of a token named `%zz`, which answers its own 404).
 */
export function answerMalformedPath(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '/';
  if (!url.startsWith('/')) return false;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const malformed = malformedPathSegment(path);
  if (malformed === null) return false;
  if (API_PREFIXES.some((p) => path.startsWith(p))) {
    const shown = malformed.length > 60 ? `${malformed.slice(0, 60)}…` : malformed;
    const message = `The address holds a malformed percent-encoding ("${shown}"): write a literal "%" as %25.`;
    res.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ error: { code: 'invalid_request', message, details: [] } }));
    return true;
  }
  req.url = literalPath(path) + (queryAt === -1 ? '' : url.slice(queryAt));
  return false;
}
