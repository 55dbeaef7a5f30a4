// REST handlers are thin: authenticate, check the role, parse input with zod, call a service
// function, and map its errors to `{"error": {"code", "message", "details"}}`.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { getServerSession } from 'next-auth';
import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { authenticateAccessToken } from '@/lib/auth/access-tokens';
import { basicCredentials } from '@/lib/auth/basic';
import { clientAddress } from '@/lib/auth/client-address';
import { authOptions } from '@/lib/auth/options';
import type { Actor } from '@/lib/auth/roles';
import { authenticateAdmin } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db/client';
import { RateLimitedError, UnauthorizedError, ValidationError, assertCleanText, parseInput } from '@/lib/errors';
import { noteUnexpectedError, unexpectedErrorWait } from '@/lib/rate-limit/unexpected-errors';
import { withRequestId } from '@/lib/request-context';

// the JSON answers and the query reading, apart so that Canopy's own server (the gateway's long
// polls, lib/gateway/node-handler.ts) uses them without next-auth
export { errorResponse, json, readQuery, type ErrorLog } from './responses';
import { errorResponse } from './responses';

export type RouteContext<P> = { params: Promise<P> };

/** Any signed-in admin passes: the use case the handler calls checks the role, in one place. */
type Options = {
  /** 'basic' accepts HTTP Basic with an admin's email and password (only for access tokens) */
  auth?: 'bearer' | 'basic';
};

type Handler<P> = (args: { req: NextRequest; actor: Actor; params: P }) => Promise<Response>;

async function authenticate(req: NextRequest, mode: Options['auth']): Promise<Actor> {
  const authorization = req.headers.get('authorization') ?? '';
  const [scheme, value] = [authorization.split(' ')[0]?.toLowerCase(), authorization.slice(authorization.indexOf(' ') + 1).trim()];
  if (scheme === 'bearer' && value) {
    const actor = await authenticateAccessToken(value);
    if (!actor) throw new UnauthorizedError('The access token is not valid or was revoked.');
    return actor;
  }
  if (scheme === 'basic' && mode === 'basic') {
    const credentials = basicCredentials(req.headers);
    if (!credentials) throw new UnauthorizedError('Send HTTP Basic credentials as email:password.');
    return authenticateAdmin(credentials.username, credentials.password, clientAddress(req.headers), 'basic');
  }
  // The portal's own pages may read the API with their session cookie. Changes need a bearer
  // token, so a cookie alone can never be used to change anything (no CSRF surface).
  if (req.method === 'GET' && !authorization) {
    const session = (await getServerSession(authOptions)) as { adminId?: string } | null;
    if (session?.adminId) {
      const admin = await getDb().adminUser.findUnique({ where: { id: session.adminId } });
      if (admin && !admin.disabled) {
        return { adminId: admin.id, email: admin.email, name: admin.name, role: admin.role, via: 'session' };
      }
    }
  }
  throw new UnauthorizedError(
    mode === 'basic' ? 'Send HTTP Basic credentials (admin email and password) or a bearer access token.' : undefined,
  );
}

export function apiRoute<P = Record<string, never>>(options: Options, handler: Handler<P>) {
  return async (req: NextRequest, ctx: RouteContext<P>): Promise<Response> => {
    const requestId = req.headers.get('x-request-id')?.slice(0, 100) || randomUUID();
    return withRequestId(requestId, async () => {
      const address = clientAddress(req.headers);
      const wait = unexpectedErrorWait(address);
      if (wait > 0) return errorResponse(new RateLimitedError(wait), requestId);
      let authenticated = false;
      try {
        const actor = await authenticate(req, options.auth);
        authenticated = true;
        const params = ctx?.params ? await ctx.params : ({} as P);
        // path parameters reach services as they are: the same text rule as every other input
        assertCleanText(params);
        const response = await handler({ req, actor, params });
        response.headers.set('X-Request-Id', requestId);
        return response;
      } catch (error) {
        return errorResponse(error, requestId, authenticated ? console.error : (m, e) => noteUnexpectedError(address, m, e));
      }
    });
  };
}

/** Reads and validates a JSON body. */
export async function readJson<S extends z.ZodType>(req: NextRequest, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    const text = await req.text();
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  return parseInput(schema, body);
}
