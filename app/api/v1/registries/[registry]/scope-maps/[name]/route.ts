import { apiRoute, json } from '@/lib/api/handler';
import { getScopeMap } from '@/lib/scope-maps/queries';

export const GET = apiRoute<{ registry: string; name: string }>({}, async ({ params }) => json(await getScopeMap(params.registry, params.name)));
