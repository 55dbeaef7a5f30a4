import { apiRoute, json, readJson } from '@/lib/api/handler';
import { deleteCloudRegistry, updateCloudRegistry } from '@/lib/registries/service/cloud-registries';
import { getCloudRegistry } from '@/lib/registries/cloud-queries';
import { updateCloudRegistryInput } from '@/lib/registries/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string };

export const GET = apiRoute<P>({}, async ({ params }) => json(await getCloudRegistry(params.registry)));

export const PATCH = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await updateCloudRegistry(actor, params.registry, await readJson(req, updateCloudRegistryInput))),
);

export const DELETE = apiRoute<P>({}, async ({ actor, params }) => {
  await deleteCloudRegistry(actor, params.registry);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(['GET', 'PATCH', 'DELETE']);
