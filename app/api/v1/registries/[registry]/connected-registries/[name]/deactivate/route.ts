import { apiRoute, json } from '@/lib/api/handler';
import { deactivateConnectedRegistry } from '@/lib/registries/service/deactivate-connected-registry';
import { methodsNotAllowed } from '@/lib/api/methods';

export const POST = apiRoute<{ registry: string; name: string }>({}, async ({ actor, params }) =>
  json(await deactivateConnectedRegistry(actor, params.registry, params.name)),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
