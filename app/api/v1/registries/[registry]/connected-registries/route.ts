import { apiRoute, json, readJson, readQuery } from '@/lib/api/handler';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { listConnectedRegistries } from '@/lib/registries/queries';
import { createConnectedRegistryInput, listConnectedRegistriesQuery } from '@/lib/registries/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string };

export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await listConnectedRegistries(params.registry, readQuery(req, listConnectedRegistriesQuery))),
);

// Carries the new sync-token password in its connection string: never cached.
export const POST = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await createConnectedRegistry(actor, params.registry, await readJson(req, createConnectedRegistryInput)), {
    status: 201,
    noStore: true,
  }),
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
