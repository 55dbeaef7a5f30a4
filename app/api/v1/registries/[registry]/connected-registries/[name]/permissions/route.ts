import { apiRoute, json, readJson } from '@/lib/api/handler';
import { updatePermissions } from '@/lib/registries/connected';
import { permissionsInput } from '@/lib/registries/schemas';

export const POST = apiRoute<{ registry: string; name: string }>({ role: 'Contributor' }, async ({ req, actor, params }) =>
  json(await updatePermissions(actor, params.registry, params.name, await readJson(req, permissionsInput))),
);
