import { apiRoute, json } from '@/lib/api/handler';
import { tokenServiceSettings } from '@/lib/token-service/settings';

export const GET = apiRoute({}, async () => {
  const { issuer, realm, certificate } = await tokenServiceSettings();
  return json({ issuer, realm, certificate });
});
