// The gateway's HTTP side: JSON errors in the API's format, request ids, capped bodies.
import { randomUUID } from 'node:crypto';
import { errorResponse } from '@/lib/api/responses';
import { clientAddress } from '@/lib/auth/client-address';
import { AppError, RateLimitedError, ValidationError } from '@/lib/errors';
import { noteUnexpectedError, unexpectedErrorWait } from '@/lib/rate-limit/unexpected-errors';
import { withRequestId } from '@/lib/request-context';

export function gatewayRoute<P>(handler: (req: Request, params: P) => Promise<Response>) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    // a registry's requests are counted by address whether or not they authenticated: the
    // gateway cannot tell a fault of its own from one a stranger provoked
    const address = clientAddress(req.headers);
    const wait = unexpectedErrorWait(address);
    if (wait > 0) return errorResponse(new RateLimitedError(wait), requestId);
    return withRequestId(requestId, async () => {
      try {
        return await handler(req, await ctx.params);
      } catch (error) {
        return errorResponse(error, requestId, (m, e) => noteUnexpectedError(address, m, e));
      }
    });
  };
}

/** A status report is a few hundred bytes; anything past this is refused unread. */
export const MAX_GATEWAY_BODY_BYTES = 64 * 1024;

/** Reads a JSON body of at most `max` bytes, stopping as soon as it is known to be larger (413). */
export async function readCappedJson(req: Request, max = MAX_GATEWAY_BODY_BYTES): Promise<unknown> {
  const tooLarge = () => new AppError(413, 'payload_too_large', `The request body is larger than ${max} bytes.`);
  if (Number(req.headers.get('content-length') ?? 0) > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
}
