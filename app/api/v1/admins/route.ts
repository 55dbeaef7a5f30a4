import { createAdmin, listAdmins } from '@/lib/admins/service';
import { createAdminInput } from '@/lib/admins/schemas';
import { apiRoute, json, readJson } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';

export const GET = apiRoute({}, async ({ actor }) => json({ items: await listAdmins(actor), next: null }));

export const POST = apiRoute({}, async ({ req, actor }) =>
  json(await createAdmin(actor, await readJson(req, createAdminInput)), { status: 201 }),
);

export const { PUT, PATCH, DELETE } = methodsNotAllowed(['GET', 'POST']);
