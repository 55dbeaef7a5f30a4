import { apiRoute, json } from '@/lib/api/handler';
import { tokenServiceSettings } from '@/lib/token-service/settings';
import { methodsNotAllowed } from '@/lib/api/methods';

export const GET = apiRoute({}, async () => {
  const { issuer, realm, certificate } = await tokenServiceSettings();
  return json({ issuer, realm, certificate });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
