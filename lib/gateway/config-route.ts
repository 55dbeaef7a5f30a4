// GET …/config — with If-None-Match and ?wait=<seconds> (≤ 60) a long poll: 304 when nothing
// changed before the wait ended, 200 as soon as something relevant changes. The Next.js route
// (app/gateway/…/config/route.ts) and Canopy's own server (./node-handler.ts, ahead of Next.js)
// both answer with `configAnswer`, the one from fetch's Request, the other from Node's request.
import { parseInput } from '@/lib/errors';
import { requestSignal } from '@/lib/server/lifecycle';
import { gatewayRoute, headerOf, type GatewayHeaders } from './http';
import { configBody } from './queries';
import { configQuery } from './schemas';
import { fetchConfig } from './service/fetch-config';

export type ConfigParams = { registry: string; name: string };

/** An answer to a configuration request, in neither fetch's nor Node's form. */
export type ConfigAnswer = { status: 200 | 304; headers: Record<string, string>; body: Buffer | null };

export async function configAnswer(
  headers: GatewayHeaders,
  query: URLSearchParams,
  params: ConfigParams,
  /** aborts when the client goes away (its poll then costs nothing more) or the server shuts down (304) */
  signal: AbortSignal,
): Promise<ConfigAnswer> {
  const { wait } = parseInput(configQuery, Object.fromEntries(query));
  const result = await fetchConfig(headers, params.registry, params.name, {
    wait,
    ifNoneMatch: headerOf(headers, 'if-none-match'),
    signal,
  });
  const answerHeaders = { ETag: result.etag, 'Cache-Control': 'no-store' };
  if (result.status === 304) return { status: 304, headers: answerHeaders, body: null };
  return { status: 200, headers: { ...answerHeaders, 'Content-Type': 'application/json' }, body: configBody(result.config) };
}

export const getConfig = gatewayRoute<ConfigParams>(async (req, params) => {
  const answer = await configAnswer(req.headers, new URL(req.url).searchParams, params, requestSignal(req));
  return new Response(answer.body && new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
});
