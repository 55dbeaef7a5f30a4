import { apiRoute, json, readQuery } from '@/lib/api/handler';
import { listTokens, listTokensQuery } from '@/lib/tokens/queries';

export const GET = apiRoute<{ registry: string }>({}, async ({ req, params }) => json(await listTokens(params.registry, readQuery(req, listTokensQuery))));
