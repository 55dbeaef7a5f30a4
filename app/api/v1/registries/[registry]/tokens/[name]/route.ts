import { apiRoute, json, readJson } from '@/lib/api/handler';
import { getToken } from '@/lib/tokens/queries';
import { updateTokenInput } from '@/lib/tokens/schemas';
import { deleteToken } from '@/lib/tokens/service/delete-token';
import { updateToken } from '@/lib/tokens/service/update-token';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string; name: string };

export const GET = apiRoute<P>({}, async ({ params }) => json(await getToken(params.registry, params.name)));

export const PATCH = apiRoute<P>({}, async ({ req, actor, params }) =>
  json(await updateToken(actor, params.registry, params.name, await readJson(req, updateTokenInput))),
);

export const DELETE = apiRoute<P>({}, async ({ actor, params }) => {
  await deleteToken(actor, params.registry, params.name);
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(['GET', 'PATCH', 'DELETE']);
