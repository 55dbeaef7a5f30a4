import { apiRoute, json, readJson } from '@/lib/api/handler';
import { createAccessToken, listAccessTokens } from '@/lib/auth/access-tokens';
import { createAccessTokenInput } from '@/lib/auth/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

export const POST = apiRoute({ auth: 'basic' }, async ({ req, actor }) => {
  const created = await createAccessToken(actor, await readJson(req, createAccessTokenInput));
  return json(created, { status: 201, noStore: true });
});

export const GET = apiRoute({}, async ({ actor }) => json({ items: await listAccessTokens(actor), next: null }));

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
