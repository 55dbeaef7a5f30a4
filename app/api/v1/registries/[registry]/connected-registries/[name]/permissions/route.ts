import { apiRoute, json, readJson } from '@/lib/api/handler';
import { updatePermissions } from '@/lib/registries/service/update-permissions';
import { syncPermissions } from '@/lib/registries/permissions-view';
import { permissionsInput } from '@/lib/registries/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

export const POST = apiRoute<{ registry: string; name: string }>({}, async ({ req, actor, params }) =>
  json(await updatePermissions(actor, params.registry, params.name, await readJson(req, permissionsInput))),
);

// What the registry's sync token holds, and where each repository and gateway action came from.
export const GET = apiRoute<{ registry: string; name: string }>({}, async ({ params }) =>
  json(await syncPermissions(params.registry, params.name)),
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
