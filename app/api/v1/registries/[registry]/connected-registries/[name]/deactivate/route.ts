import { apiRoute, json } from '@/lib/api/handler';
import { deactivateConnectedRegistry } from '@/lib/registries/connected';

export const POST = apiRoute<{ registry: string; name: string }>({ role: 'Contributor' }, async ({ actor, params }) =>
  json(await deactivateConnectedRegistry(actor, params.registry, params.name)),
);
