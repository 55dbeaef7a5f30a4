import { apiRoute, json, readJson } from '@/lib/api/handler';
import { deleteConnectedRegistry } from '@/lib/registries/service/delete-connected-registry';
import { getConnectedRegistry } from '@/lib/registries/queries';
import { updateConnectedRegistry } from '@/lib/registries/service/update-connected-registry';
import { updateConnectedRegistryInput } from '@/lib/registries/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string };

export const GET = apiRoute<P>({}, async ({ params }) => json(await getConnectedRegistry(params.registry, params.name)));

export const PATCH = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await updateConnectedRegistry(actor, params.registry, params.name, await readJson(req, updateConnectedRegistryInput))),
);

export const DELETE = apiRoute<P>({}, async ({ actor, params }) => {
  await deleteConnectedRegistry(actor, params.registry, params.name);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(['GET', 'PATCH', 'DELETE']);
