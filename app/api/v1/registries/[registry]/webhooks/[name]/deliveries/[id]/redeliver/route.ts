import { apiRoute, json } from '@/lib/api/handler';
import { parseInput } from '@/lib/errors';
import { deliveryId } from '@/lib/webhooks/schemas';
import { redeliver } from '@/lib/webhooks/service';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string; id: string };

export const POST = apiRoute<P>({}, async ({ actor, params }) =>
  json(await redeliver(actor, params.registry, params.name, parseInput(deliveryId, params.id)), { status: 202 }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
