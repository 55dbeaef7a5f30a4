// Serves the configuration long polls (GET …/connected-registries/<name>/config) straight from
// Canopy's Node server, ahead of Next.js, as the token endpoint is (lib/token-service/node-handler.ts).
// Thousands of edges each hold one, and a change concerning all of them answers them all at
// once, each then asking again: with 2,000 polls that is 4,000 requests within a second or two,
// and Next's router, middleware, route wrapper and web-stream piping cost more CPU per request
// than the answer itself. The handler is the same one the Next.js route serves (./config-route.ts,
// which `next dev` and the tests use); other methods and paths still go to Next.js.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse } from '@/lib/api/responses';
import { ValidationError } from '@/lib/errors';
import { getConfig, type ConfigParams } from './config-route';

const CONFIG_PATH = /^\/gateway\/v1\/registries\/([^/]+)\/connected-registries\/([^/]+)\/config$/;

/**
 * The registry and connected registry a GET of a configuration names, or null for any other
 * request. The path is read as Next.js routes it (dot segments resolved, segments decoded), so
 * that no spelling of it reaches a different handler here than there.
 */
export function configRequestParams(method: string | undefined, url: string | undefined): ConfigParams | null {
  if (method !== 'GET' || !url?.startsWith('/gateway/')) return null;
  let pathname: string;
  try {
    pathname = new URL(`http://canopy.local${url}`).pathname;
  } catch {
    return null;
  }
  const m = CONFIG_PATH.exec(pathname);
  if (!m) return null;
  try {
    return { registry: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) };
  } catch {
    return null; // malformed escapes: Next.js answers those
  }
}

export async function serveConfigRequest(req: IncomingMessage, res: ServerResponse, params: ConfigParams): Promise<void> {
  let response: Response;
  try {
    response = await getConfig(webRequest(req), { params: Promise.resolve(params) });
  } catch (error) {
    // getConfig answers every error of its own (gatewayRoute): here a request that could not be
    // made into one (a header value fetch refuses) is the client's, anything else the server's
    response =
      error instanceof TypeError
        ? errorResponse(new ValidationError('The request has a header that cannot be read.'), randomUUID())
        : errorResponse(error, randomUUID());
  }
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  if (res.destroyed) return;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}

/** The request as the route handler reads it (fetch's Request, as Next.js gives it). */
function webRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return new Request(`http://canopy.local${req.url}`, { headers });
}
