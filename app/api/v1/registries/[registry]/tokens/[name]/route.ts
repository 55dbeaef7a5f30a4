import { apiRoute, json } from '@/lib/api/handler';
import { getToken } from '@/lib/tokens/queries';

export const GET = apiRoute<{ registry: string; name: string }>({}, async ({ params }) => json(await getToken(params.registry, params.name)));
