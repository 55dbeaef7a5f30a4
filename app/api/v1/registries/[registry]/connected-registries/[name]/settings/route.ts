import { apiRoute, json, readJson } from '@/lib/api/handler';
import { connectionSettingsInput } from '@/lib/tokens/schemas';
import { connectionSettings } from '@/lib/tokens/service/connection-settings';
import { methodsNotAllowed } from '@/lib/api/methods';

// May carry a new sync-token password: never cached.
export const POST = apiRoute<{ registry: string; name: string }>({}, async ({ req, actor, params }) => {
  const { connectionString } = await connectionSettings(actor, params.registry, params.name, await readJson(req, connectionSettingsInput));
  return json({ connectionString }, { noStore: true });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
