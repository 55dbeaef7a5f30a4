import { apiRoute, json } from '@/lib/api/handler';
import { sendTestEvent } from '@/lib/webhooks/service';

type P = { registry: string; name: string };

export const POST = apiRoute<P>({ role: 'Contributor' }, async ({ actor, params }) =>
  json(await sendTestEvent(actor, params.registry, params.name), { status: 202 }),
);
