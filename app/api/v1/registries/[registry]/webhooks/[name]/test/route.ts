import { apiRoute, json } from '@/lib/api/handler';
import { sendTestEvent } from '@/lib/webhooks/service';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string };

export const POST = apiRoute<P>({}, async ({ actor, params }) =>
  json(await sendTestEvent(actor, params.registry, params.name), { status: 202 }),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
