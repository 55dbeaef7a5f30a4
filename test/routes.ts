// Calling route handlers as Next.js does, for tests of statuses, headers and JSON bodies: the
// REST API's (a NextRequest with an admin's bearer access token and the route's params) and the
// gateway's (a Request with a sync token's HTTP Basic credentials, as Canopy Edge sends them).
import { NextRequest } from 'next/server';
import { parseConnectionString } from '@/lib/gateway/connection-string';

export type ErrorBody = { error: { code: string; message: string; details: { field?: string; message: string }[] } };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RouteHandler = (req: NextRequest, ctx: { params: Promise<any> }) => Promise<Response>;

export type RestResponse<T = Record<string, unknown>> = { status: number; headers: Headers; body: T };

/** `Authorization: Basic …` for these credentials. */
export const basicAuth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

type RestCall = {
  bearer: string;
  method?: string;
  /** relative to /api/v1 */
  path: string;
  /** JSON-encoded unless a string, which is sent as it is */
  body?: unknown;
  headers?: Record<string, string>;
};

/** The request a REST client sends: `method path` with a bearer access token and an optional body. */
export function restRequest({ bearer, method = 'GET', path, body, headers = {} }: RestCall): NextRequest {
  return new NextRequest(`http://localhost/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * Requests to one cloud registry's REST routes, as a test calls their handlers: `request(as, method,
 * path, body)` with `path` below `/registries/<cloud>`, and `params(...)`, the route's params naming it.
 */
export function registryRoutes(cloud: string) {
  return {
    request: (as: { bearer: string }, method: string, path: string, body?: unknown) =>
      restRequest({ bearer: as.bearer, method, path: `/registries/${cloud}${path}`, body }),
    params: <P extends Record<string, string>>(p: P) => ({ params: Promise.resolve({ registry: cloud, ...p }) }),
  };
}

/** Calls `handler` with the request of `call` and the route's `params`; answers the status, headers and parsed JSON body. */
export async function callRoute<T = Record<string, unknown>>(
  handler: unknown,
  call: RestCall & { params: Record<string, string> },
): Promise<RestResponse<T>> {
  const res = await (handler as RouteHandler)(restRequest(call), { params: Promise.resolve(call.params) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/** A connected registry's gateway credentials: its sync token's name and password, and the instance it runs as. */
export type EdgeCredentials = { user: string; password: string; instance?: string; address?: string };

/** The credentials a connection string deploys an edge with. */
export function edgeCredentials(connectionString: string, instance = 'box-1'): EdgeCredentials & { name: string } {
  const s = parseConnectionString(connectionString);
  return { name: s.connectedRegistryName, user: s.syncTokenName, password: s.syncTokenPassword, instance };
}

type GatewayCall = EdgeCredentials & {
  registry: string;
  name: string;
  /** the endpoint under …/connected-registries/<name>/: config, status, sync-runs */
  endpoint: string;
  method?: string;
  body?: unknown;
  etag?: string;
  /** seconds a config long poll may wait */
  wait?: number;
};

/** The request Canopy Edge sends to `…/registries/<registry>/connected-registries/<name>/<endpoint>`. */
export function gatewayRequest(call: GatewayCall): Request {
  const headers: Record<string, string> = { authorization: basicAuth(call.user, call.password) };
  if (call.address !== undefined) headers['x-canopy-client-address'] = call.address;
  if (call.instance !== undefined) headers['x-connected-registry-instance'] = call.instance;
  if (call.etag) headers['if-none-match'] = call.etag;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const url = `http://canopy.test/gateway/v1/registries/${call.registry}/connected-registries/${call.name}/${call.endpoint}${call.wait ? `?wait=${call.wait}` : ''}`;
  return new Request(url, {
    method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
    headers,
    body: call.body === undefined ? undefined : typeof call.body === 'string' ? call.body : JSON.stringify(call.body),
  });
}

/** Calls a gateway route handler as the edge would; answers the handler's own Response. */
export function callGateway(handler: unknown, call: GatewayCall): Promise<Response> {
  return (handler as (req: Request, ctx: { params: Promise<{ registry: string; name: string }> }) => Promise<Response>)(
    gatewayRequest(call),
    {
      params: Promise.resolve({ registry: call.registry, name: call.name }),
    },
  );
}
