import { updateAdmin, updateAdminInput } from '@/lib/admins/service';
import { apiRoute, json, readJson } from '@/lib/api/handler';

export const PATCH = apiRoute<{ email: string }>({ role: 'Owner' }, async ({ req, actor, params }) =>
  json(await updateAdmin(actor, decodeURIComponent(params.email), await readJson(req, updateAdminInput))),
);
