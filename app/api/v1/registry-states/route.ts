import { apiRoute, json } from '@/lib/api/handler';
import { registryStateCounts } from '@/lib/registries/state-counts';

export const GET = apiRoute({}, async () => json(await registryStateCounts()));
