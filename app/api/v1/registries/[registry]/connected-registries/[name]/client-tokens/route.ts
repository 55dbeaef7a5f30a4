import { apiRoute, json } from '@/lib/api/handler';
import { listClientTokens } from '@/lib/registries/queries';
import { methodsNotAllowed } from '@/lib/api/methods';

export const GET = apiRoute<{ registry: string; name: string }>({}, async ({ params }) =>
  json({ items: await listClientTokens(params.registry, params.name), next: null }),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
