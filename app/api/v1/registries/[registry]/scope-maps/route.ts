import { apiRoute, json, readJson, readQuery } from '@/lib/api/handler';
import { listScopeMaps } from '@/lib/scope-maps/queries';
import { createScopeMapInput, listScopeMapsQuery } from '@/lib/scope-maps/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string };

export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await listScopeMaps(params.registry, readQuery(req, listScopeMapsQuery))),
);

export const POST = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await createScopeMap(actor, params.registry, await readJson(req, createScopeMapInput)), { status: 201 }),
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
