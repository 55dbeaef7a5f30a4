import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';
import { listSyncTokenCandidates, syncTokenCandidatesQuery } from '@/lib/registries/sync-token-adoption';

type P = { registry: string };

export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await listSyncTokenCandidates(params.registry, readQuery(req, syncTokenCandidatesQuery))),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
