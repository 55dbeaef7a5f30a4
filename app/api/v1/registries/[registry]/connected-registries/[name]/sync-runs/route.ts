import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';
import { listSyncRuns } from '@/lib/sync/queries';
import { listSyncRunsQuery } from '@/lib/sync/schemas';

type P = { registry: string; name: string };

export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await listSyncRuns(params.registry, params.name, readQuery(req, listSyncRunsQuery))),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
