import { apiRoute, json, readJson, readQuery } from '@/lib/api/handler';
import { listTokens } from '@/lib/tokens/queries';
import { createTokenInput, listTokensQuery } from '@/lib/tokens/schemas';
import { createToken } from '@/lib/tokens/service/create-token';
import { methodsNotAllowed } from '@/lib/api/methods';

type P = { registry: string };

export const GET = apiRoute<P>({}, async ({ req, params }) => json(await listTokens(params.registry, readQuery(req, listTokensQuery))));

// The one response that carries the new passwords: never cached.
export const POST = apiRoute<P>({}, async ({ req, actor, params }) => {
  const { token, passwords } = await createToken(actor, params.registry, await readJson(req, createTokenInput));
  return json({ ...token, passwords }, { status: 201, noStore: true });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
