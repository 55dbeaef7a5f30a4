import { apiRoute, json, readJson } from '@/lib/api/handler';
import { regeneratePasswordInput } from '@/lib/tokens/schemas';
import { regeneratePasswords } from '@/lib/tokens/service/regenerate-passwords';
import { methodsNotAllowed } from '@/lib/api/methods';

// `name` answers the one new password; `names` answers { passwords: [...] }. Never cached.
export const POST = apiRoute<{ registry: string; name: string }>({}, async ({ req, actor, params }) => {
  const input = await readJson(req, regeneratePasswordInput);
  const passwords = await regeneratePasswords(actor, params.registry, params.name, input);
  return json(input.names ? { passwords } : passwords[0], { noStore: true });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
