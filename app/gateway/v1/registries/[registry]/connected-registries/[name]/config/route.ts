import { methodsNotAllowed } from '@/lib/api/methods';
import { getConfig } from '@/lib/gateway/config-route';

export const dynamic = 'force-dynamic';

// GET …/config (lib/gateway/config-route.ts). Under `npm start` Canopy's own server answers it
// ahead of Next.js (lib/gateway/node-handler.ts); this route serves it under `next dev`.
export const GET = getConfig;

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
