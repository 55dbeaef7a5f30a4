import { apiRoute } from '@/lib/api/handler';
import { revokeAccessToken } from '@/lib/auth/access-tokens';
import { methodsNotAllowed } from '@/lib/api/methods';

export const DELETE = apiRoute<{ name: string }>({}, async ({ actor, params }) => {
  await revokeAccessToken(actor, params.name);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(['DELETE']);
