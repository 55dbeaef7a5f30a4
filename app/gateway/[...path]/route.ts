import { basicCredentials } from '@/lib/auth/basic';
import { AppError } from '@/lib/errors';
import { GatewayAuthError } from '@/lib/gateway/auth';
const NO_CREDENTIALS = 'x';
import { gatewayRoute } from '@/lib/gateway/http';

export const dynamic = 'force-dynamic';

// Any other path under /gateway: the same 401 as everywhere before authentication; a caller
// that sends credentials learns that there is no such endpoint (nothing about registries).
const unknownEndpoint = gatewayRoute<{ path: string[] }>(async (req) => {
  if (!basicCredentials(req.headers)) throw new GatewayAuthError(401, NO_CREDENTIALS);
  throw new AppError(404, 'not_found', 'There is no such gateway endpoint.');
});

export const GET = unknownEndpoint;
export const POST = unknownEndpoint;
export const PUT = unknownEndpoint;
export const PATCH = unknownEndpoint;
export const DELETE = unknownEndpoint;
