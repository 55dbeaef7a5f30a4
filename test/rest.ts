// Calling the REST route handlers as Next.js does (a NextRequest with a bearer access token and
// the route's params), for tests of the API's statuses, headers and JSON bodies.
import { NextRequest } from 'next/server';

export type ErrorBody = { error: { code: string; message: string; details: { field?: string; message: string }[] } };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RouteHandler = (req: NextRequest, ctx: { params: Promise<any> }) => Promise<Response>;

export type RestResponse<T = Record<string, unknown>> = { status: number; headers: Headers; body: T };

/** Calls `handler` with `method path` (relative to /api/v1), `params` and an optional JSON body. */
export async function callRoute<T = Record<string, unknown>>(
  handler: RouteHandler,
  opts: { bearer: string; method?: string; path: string; params: Record<string, string>; body?: unknown },
): Promise<RestResponse<T>> {
  const req = new NextRequest(`http://localhost/api/v1${opts.path}`, {
    method: opts.method ?? 'GET',
    headers: { authorization: `Bearer ${opts.bearer}`, ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const res = await handler(req, { params: Promise.resolve(opts.params) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}
