import { apiRoute, json } from '@/lib/api/handler';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { loginServerUsage } from '@/lib/registries/login-servers';
import { loginServerParam } from '@/lib/registries/schemas';
import { methodsNotAllowed } from '@/lib/api/methods';

/** Who uses a login server: the portal's forms warn as the user types. */
export const GET = apiRoute<{ loginServer: string }>({}, async ({ params }) =>
  json(await loginServerUsage(getDb(), parseInput(loginServerParam, params.loginServer))),
);

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
