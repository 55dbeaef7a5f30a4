// Serves the configuration long polls (GET …/connected-registries/<name>/config) straight from
// Canopy's Node server, ahead of Next.js, as the token endpoint is (lib/token-service/node-handler.ts).
// Thousands of edges each hold one, and a change concerning all of them answers them all at
// once, each then asking again: with 2,000 polls that is 4,000 requests within a second or two,
// and Next's router, middleware, route wrapper and web-stream piping cost more CPU per request
// than the answer itself. The answer is the one the Next.js route gives (./config-route.ts, which
// `next dev` and the tests use); other methods and paths still go to Next.js.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse } from '@/lib/api/responses';
import { requestSignal } from '@/lib/server/lifecycle';
import { configAnswer, type ConfigAnswer, type ConfigParams } from './config-route';
import { gatewayCall } from './http';

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
  // Node's request as it is: a fetch Request and Response made of each (as the Next.js route
  // gets them) cost more than the answer itself, and thousands are answered at once
  let answer: ConfigAnswer | Response;
  try {
    const query = new URL(`http://canopy.local${req.url}`).searchParams;
    answer = await gatewayCall(req.headers, () => configAnswer(req.headers, query, params, requestSignal(req)));
  } catch (error) {
    // gatewayCall answers every error of the handler: anything else is the server's
    answer = errorResponse(error, randomUUID());
  }
  if (answer instanceof Response) {
    const body = answer.body ? Buffer.from(await answer.arrayBuffer()) : null;
    return write(res, answer.status, Object.fromEntries(answer.headers), body);
  }
  write(res, answer.status, answer.headers, answer.body);
}

function write(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | null) {
  if (res.destroyed) return;
  res.writeHead(status, body ? { ...headers, 'Content-Length': String(body.length) } : headers);
  res.end(body ?? undefined);
}
