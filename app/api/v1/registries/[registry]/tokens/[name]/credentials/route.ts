import { apiRoute, json, readJson } from '@/lib/api/handler';
import { regeneratePassword, regeneratePasswordInput } from '@/lib/tokens/service';

export const POST = apiRoute<{ registry: string; name: string }>({ role: 'Contributor' }, async ({ req, actor, params }) =>
  json(await regeneratePassword(actor, params.registry, params.name, await readJson(req, regeneratePasswordInput)), { noStore: true }),
);
