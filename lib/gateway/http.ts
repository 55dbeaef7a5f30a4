// The gateway's HTTP side: JSON errors in the API's format, request ids, capped bodies.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { errorResponse } from '@/lib/api/responses';
import { clientAddress } from '@/lib/auth/client-address';
import { AppError, RateLimitedError, ValidationError } from '@/lib/errors';
import { noteUnexpectedError, unexpectedErrorWait } from '@/lib/rate-limit/unexpected-errors';
import { withRequestId } from '@/lib/request-context';

/**
 * A request's headers: fetch's (a Next.js route) or Node's (a request Canopy's own server answers
 * itself, lib/gateway/node-handler.ts: making a fetch Request of each costs more than the answer).
 */
export type GatewayHeaders = Headers | IncomingHttpHeaders;

/** One header, as `Headers.get` reads it: null when absent, several values joined with ", ". */
export function headerOf(headers: GatewayHeaders, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Runs a gateway request's handler with its request id, answering its errors in the API's JSON
 * format (an error the handler did not expect is logged and counted against the address).
 */
export async function gatewayCall<T>(headers: GatewayHeaders, handler: () => Promise<T>): Promise<T | Response> {
  const requestId = headerOf(headers, 'x-request-id')?.slice(0, 100) || randomUUID();
  // a registry's requests are counted by address whether or not they authenticated: the
  // gateway cannot tell a fault of its own from one a stranger provoked
  const address = clientAddress(headers);
  const wait = unexpectedErrorWait(address);
  if (wait > 0) return errorResponse(new RateLimitedError(wait), requestId);
  return withRequestId(requestId, async () => {
    try {
      return await handler();
    } catch (error) {
      return errorResponse(error, requestId, (m, e) => noteUnexpectedError(address, m, e));
    }
  });
}

export function gatewayRoute<P>(handler: (req: Request, params: P) => Promise<Response>) {
  return (req: Request, ctx: { params: Promise<P> }): Promise<Response> =>
    gatewayCall(req.headers, async () => handler(req, await ctx.params));
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
