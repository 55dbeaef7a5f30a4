import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { listDeliveries } from '@/lib/webhooks/queries';
import { listDeliveriesQuery } from '@/lib/webhooks/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string };

export const GET = apiRoute<P>({}, async ({ req, params }) =>
  json(await listDeliveries(params.registry, params.name, readQuery(req, listDeliveriesQuery))),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
