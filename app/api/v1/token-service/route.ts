import { apiRoute, json } from '@/lib/api/handler';
import { tokenIssuer, tokenRealm } from '@/lib/config';
import { certificateBundle } from '@/lib/token-service/keys';

export const GET = apiRoute({}, async () =>
  json({ issuer: tokenIssuer(), realm: tokenRealm(), certificate: await certificateBundle() }),
);
