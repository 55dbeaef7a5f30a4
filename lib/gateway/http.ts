// The gateway's HTTP side: JSON errors in the API's format, request ids, client addresses.
import { randomUUID } from 'node:crypto';
import { errorResponse } from '@/lib/api/handler';
import { withRequestId } from '@/lib/request-context';

export function gatewayRoute<P>(handler: (req: Request, params: P) => Promise<Response>) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    return withRequestId(requestId, async () => {
      try {
        return await handler(req, await ctx.params);
      } catch (error) {
        return errorResponse(error, requestId);
      }
    });
  };
}
