import { apiRoute, json, readJson } from '@/lib/api/handler';
import { listWebhooks } from '@/lib/webhooks/queries';
import { createWebhookInput } from '@/lib/webhooks/schemas';
import { createWebhook } from '@/lib/webhooks/service';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string };

export const GET = apiRoute<P>({}, async ({ params }) => json(await listWebhooks(params.registry)));

// the answer carries the secret, once
export const POST = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await createWebhook(actor, params.registry, await readJson(req, createWebhookInput)), { status: 201, noStore: true }),
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
