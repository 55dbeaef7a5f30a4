import { methodsNotAllowed } from '@/lib/api/methods';
import { parseInput } from '@/lib/errors';
import { gatewayRoute, readCappedJson } from '@/lib/gateway/http';
import { MAX_SYNC_REPORT_BYTES, syncRunReport } from '@/lib/sync/report';
import { reportSyncRun } from '@/lib/sync/service';

// The edge reports a sync run (progress or end). The caller is authenticated before the body is
// read, and the body is capped.
export const POST = gatewayRoute<{ registry: string; name: string }>(async (req, params) => {
  const result = await reportSyncRun(req.headers, params.registry, params.name, async () =>
    parseInput(syncRunReport, await readCappedJson(req, MAX_SYNC_REPORT_BYTES)),
  );
  return Response.json(result, { status: 200 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
