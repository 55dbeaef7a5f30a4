import { updateAdmin } from '@/lib/admins/service';
import { updateAdminInput } from '@/lib/admins/schemas';
import { apiRoute, json, readJson } from '@/lib/api/handler';
import { methodsNotAllowed } from '@/lib/api/methods';

// Next.js hands route handlers their parameters decoded: decoding again would turn a%25 into a URIError
export const PATCH = apiRoute<{ email: string }>({}, async ({ req, actor, params }) =>
  json(await updateAdmin(actor, params.email, await readJson(req, updateAdminInput))),
);

export const { GET, POST, PUT, DELETE } = methodsNotAllowed(['PATCH']);
