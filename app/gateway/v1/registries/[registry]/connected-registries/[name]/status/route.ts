import { parseInput } from '@/lib/errors';
import { gatewayRoute, readCappedJson } from '@/lib/gateway/http';
import { statusInput } from '@/lib/gateway/schemas';
import { reportStatus } from '@/lib/gateway/service/report-status';
import { methodsNotAllowed } from '@/lib/api/methods';

// The caller is authenticated before the body is read, and the body is capped.
export const POST = gatewayRoute<{ registry: string; name: string }>(async (req, params) => {
  await reportStatus(req.headers, params.registry, params.name, async () => parseInput(statusInput, await readCappedJson(req)));
  return new Response(null, { status: 204 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
