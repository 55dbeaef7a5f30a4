// JSON answers in the API's format (errors with a stable code, never a stack or a message of an
// unexpected error) and the query reading, shared by the REST handlers (./handler.ts) and the
// gateway's handlers, Next.js routes or Canopy's own server alike.
import 'server-only';
import { z } from 'zod';
import { DatabaseUnavailableError, isDatabaseUnreachable } from '@/lib/db/outage';
import { AppError, RateLimitedError, ValidationError, isUnstorableText, parseInput, type ErrorCode } from '@/lib/errors';

export function json(body: unknown, init: { status?: number; noStore?: boolean; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  if (init.noStore) headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/** Where an unexpected error goes: the log, or (unauthenticated) noteUnexpectedError. */
export type ErrorLog = (message: string, error: unknown) => void;

export function errorResponse(caught: unknown, requestId: string, log: ErrorLog = console.error): Response {
  let error = isUnstorableText(caught)
    ? new ValidationError('The input holds text that cannot be stored (a NUL byte, or a value too long).')
    : caught;
  // an unreachable database is not a fault of this request: 503 with Retry-After, never a 500
  if (!(error instanceof AppError) && isDatabaseUnreachable(error)) error = new DatabaseUnavailableError();
  if (error instanceof AppError) {
    const headers: Record<string, string> = { 'X-Request-Id': requestId };
    if (error instanceof RateLimitedError || error instanceof DatabaseUnavailableError)
      headers['Retry-After'] = String(error.retryAfterSeconds);
    if (error.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="canopy"';
    return json({ error: { code: error.code, message: error.message, details: error.details } }, { status: error.status, headers });
  }
  log(`[${requestId}] unexpected error`, error);
  return json(
    {
      error: {
        code: 'internal_error' satisfies ErrorCode,
        message: `Something went wrong on our side (request ${requestId}).`,
        details: [],
      },
    },
    { status: 500, headers: { 'X-Request-Id': requestId } },
  );
}

/** Reads and validates the query string. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseInput(schema, Object.fromEntries(new URL(req.url).searchParams));
}
