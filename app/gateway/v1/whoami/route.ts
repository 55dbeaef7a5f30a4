import { z } from 'zod';
import { gatewayRoute } from '@/lib/gateway/http';
import { readQuery } from '@/lib/api/handler';
import { whoami } from '@/lib/gateway/queries';
import { methodsNotAllowed } from '@/lib/api/methods';

const query = z.object({ parentEndpoint: z.string().min(1).max(300), name: z.string().min(1).max(50) });

// For agents that only have a connection string: which cloud registry is theirs.
export const GET = gatewayRoute<Record<string, never>>(async (req) => {
  const { parentEndpoint, name } = readQuery(req, query);
  return Response.json(await whoami(req.headers, parentEndpoint, name), { headers: { 'Cache-Control': 'no-store' } });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(['GET']);
