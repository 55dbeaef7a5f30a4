import { apiRoute, json, readJson } from '@/lib/api/handler';
import { getScopeMap } from '@/lib/scope-maps/queries';
import { updateScopeMapInput } from '@/lib/scope-maps/schemas';
import { deleteScopeMap, updateScopeMap } from '@/lib/scope-maps/service';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string };

export const GET = apiRoute<P>({}, async ({ params }) => json(await getScopeMap(params.registry, params.name)));

export const PATCH = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await updateScopeMap(actor, params.registry, params.name, await readJson(req, updateScopeMapInput))),
);

export const DELETE = apiRoute<P>({}, async ({ actor, params }) => {
  await deleteScopeMap(actor, params.registry, params.name);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(['GET', 'PATCH', 'DELETE']);
