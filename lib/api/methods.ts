// Next.js answers a method a route does not export with an empty 405. Routes export these
// instead, so that every unsupported method gets the API's JSON error and an Allow header.
import type { ErrorCode } from '@/lib/errors';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
type RouteHandler = (req: Request) => Response;

/** Handlers for every method but `allowed`: 405 `method_not_allowed` with `Allow`. */
export function methodsNotAllowed(allowed: Method[]): Record<Method, RouteHandler> {
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const handler: RouteHandler = (req) =>
    new Response(
      JSON.stringify({
        error: {
          code: 'method_not_allowed' satisfies ErrorCode,
          message: `${req.method} is not allowed here; use ${allowed.join(', ')}.`,
          details: [],
        },
      }),
      { status: 405, headers: { 'Content-Type': 'application/json; charset=utf-8', Allow: allow } },
    );
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<Method, RouteHandler>;
}
