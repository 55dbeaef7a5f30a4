import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { listScopeMaps, listScopeMapsQuery } from '@/lib/scope-maps/queries';

export const GET = apiRoute<{ registry: string }>({}, async ({ req, params }) =>
  json(await listScopeMaps(params.registry, readQuery(req, listScopeMapsQuery))),
);
