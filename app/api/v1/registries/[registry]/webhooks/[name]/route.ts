import { apiRoute, json, readJson } from '@/lib/api/handler';
import { getWebhook } from '@/lib/webhooks/queries';
import { updateWebhookInput } from '@/lib/webhooks/schemas';
import { deleteWebhook, updateWebhook } from '@/lib/webhooks/service';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string };

export const GET = apiRoute<P>({}, async ({ params }) => json(await getWebhook(params.registry, params.name)));

// with rotateSecret the answer carries the new secret, once
export const PATCH = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await updateWebhook(actor, params.registry, params.name, await readJson(req, updateWebhookInput)), { noStore: true }),
);

export const DELETE = apiRoute<P>({}, async ({ actor, params }) => {
  await deleteWebhook(actor, params.registry, params.name);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(['GET', 'PATCH', 'DELETE']);
