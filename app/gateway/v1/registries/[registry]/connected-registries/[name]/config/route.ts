import { readQuery } from '@/lib/api/handler';
import { gatewayRoute } from '@/lib/gateway/http';
import { configQuery } from '@/lib/gateway/schemas';
import { fetchConfig } from '@/lib/gateway/service/fetch-config';
import { methodsNotAllowed } from '@/lib/api/methods';
import { requestSignal } from '@/lib/server/lifecycle';

export const dynamic = 'force-dynamic';

// GET …/config — with If-None-Match and ?wait=<seconds> (≤ 60) a long poll: 304 when nothing
// changed before the wait ended, 200 as soon as something relevant changes.
export const GET = gatewayRoute<{ registry: string; name: string }>(async (req, params) => {
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

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
