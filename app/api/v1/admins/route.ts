import { createAdmin, createAdminInput, listAdmins } from '@/lib/admins/service';
import { apiRoute, json, readJson } from '@/lib/api/handler';

export const GET = apiRoute({ role: 'Owner' }, async ({ actor }) => json({ items: await listAdmins(actor), next: null }));

export const POST = apiRoute({ role: 'Owner' }, async ({ req, actor }) =>
  json(await createAdmin(actor, await readJson(req, createAdminInput)), { status: 201 }),
);
