import { apiRoute, json } from '@/lib/api/handler';
import { parseInput } from '@/lib/errors';
import { PASSWORD_SLOTS } from '@/lib/tokens/schemas';
import { deletePassword } from '@/lib/tokens/service/delete-password';
import { z } from 'zod';
import { methodsNotAllowed } from '@/lib/api/methods';

export const DELETE = apiRoute<{ registry: string; name: string; slot: string }>({}, async ({ actor, params }) => {
  const slot = parseInput(z.enum(PASSWORD_SLOTS), params.slot);
  return json(await deletePassword(actor, params.registry, params.name, slot));
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(['DELETE']);
