import { apiRoute, json, readJson } from '@/lib/api/handler';
import { rotateSigningKey, rotateSigningKeyInput } from '@/lib/token-service/keys';
import { methodsNotAllowed } from '@/lib/api/methods';

// Rotation for automation, as Settings → Token service does it: the new key is published at
// once and signs after `delaySeconds`.
export const POST = apiRoute({}, async ({ req, actor }) => {
  const { delaySeconds } = await readJson(req, rotateSigningKeyInput);
  return json(await rotateSigningKey(actor, delaySeconds), { status: 201 });
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(['POST']);
