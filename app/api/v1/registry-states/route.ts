import { apiRoute, json } from '@/lib/api/handler';
import { registryStateCounts } from '@/lib/registries/state-counts';
import { methodsNotAllowed } from '@/lib/api/methods';

export const GET = apiRoute({}, async () => json(await registryStateCounts()));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
