import { apiRoute, json } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';
import { requestSync } from '@/lib/sync/service';

export const POST = apiRoute<{ registry: string; name: string }>({}, async ({ actor, params }) =>
  json(await requestSync(actor, params.registry, params.name), { status: 202 }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
