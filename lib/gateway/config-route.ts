// GET …/config — with If-None-Match and ?wait=<seconds> (≤ 60) a long poll: 304 when nothing
// changed before the wait ended, 200 as soon as something relevant changes. The Next.js route
// (app/gateway/…/config/route.ts) and Canopy's own server (./node-handler.ts, ahead of Next.js)
// both answer with this one handler.
import { readQuery } from '@/lib/api/responses';
import { requestSignal } from '@/lib/server/lifecycle';
import { gatewayRoute } from './http';
import { configQuery } from './schemas';
import { fetchConfig } from './service/fetch-config';

export type ConfigParams = { registry: string; name: string };

export const getConfig = gatewayRoute<ConfigParams>(async (req, params) => {
  const { wait } = readQuery(req, configQuery);
  const result = await fetchConfig(req.headers, params.registry, params.name, {
    wait,
    ifNoneMatch: req.headers.get('if-none-match'),
    // aborts when the client goes away (its poll then costs nothing more) or the server shuts down (304)
    signal: requestSignal(req),
  });
  const headers = { ETag: result.etag, 'Cache-Control': 'no-store' };
  if (result.status === 304) return new Response(null, { status: 304, headers });
  return Response.json(result.config, { headers });
});
