// Over 300 lines on purpose: apiRoute's authentication, errors and input readers are one
// module's contract, with the routes built on it.
import { randomUUID } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { z } from 'zod';
import * as accessTokensRoute from '@/app/api/v1/access-tokens/route';
import * as auditEventsRoute from '@/app/api/v1/audit-events/route';
import { hashAdminPassword } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ConflictError } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { UNEXPECTED_ERROR_LIMIT, UNEXPECTED_ERRORS_LOGGED_PER_MINUTE } from '@/lib/rate-limit/unexpected-errors';
import { currentRequestId } from '@/lib/request-context';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer } from '@/test/fixtures';
import { apiRoute, json, readJson, readQuery } from './handler';

// getServerSession needs a Next.js request scope; the cookie path gets whatever session a test
// sets here (null: no cookie).
const session = vi.hoisted(() => ({ current: null as { adminId: string } | null }));
vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof import('next-auth')>()),
  getServerSession: vi.fn(async () => session.current),
}));

setupTestDatabase();

const password = 'a-long-password-123';

/** An admin who can sign in with `password` over HTTP Basic, and holds an access token. */
const seedAdmin = async (role: AdminRole) => createActorWithBearer(role, { passwordHash: await hashAdminPassword(password) });

type Init = { method?: string; headers?: Record<string, string>; body?: string };
function request(init: Init = {}, url = 'http://localhost/api/v1/x') {
  return new NextRequest(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (email: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${pw}`).toString('base64')}` });
const noParams = { params: Promise.resolve({}) };

async function errorBody(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; details: { field?: string; message: string }[] } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message']);
  expect(Array.isArray(body.error.details)).toBe(true);
  return body.error;
}

const whoAmI = apiRoute({}, async ({ actor }) => json({ email: actor.email, role: actor.role, via: actor.via }));
// the role is the use case's to check (as withCloudRegistry does); the handler maps its 403
const contributorOnly = apiRoute({}, async ({ actor }) => (requireRole(actor, 'Contributor'), json({ ok: true })));
const basicAllowed = apiRoute({ auth: 'basic' }, async ({ actor }) => json({ email: actor.email, via: actor.via }));
const tokenSchema = z.object({ name: z.string().min(5, 'At least 5 characters.') }).strict();
const echoBody = apiRoute({}, async ({ req }) => json(await readJson(req, tokenSchema)));

let consoleError: MockInstance;
beforeEach(() => {
  session.current = null;
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => consoleError.mockRestore());

describe('apiRoute authentication', () => {
  it('answers 401 in the JSON error format when no credentials are sent', async () => {
    for (const method of ['POST', 'GET']) {
      const res = await whoAmI(request({ method }), noParams);
      expect(res.status, method).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="canopy"');
      const error = await errorBody(res);
      expect(error).toEqual({ code: 'unauthorized', message: 'Sign in or send a valid access token.', details: [] });
    }
  });

  it('accepts a valid bearer access token and acts as its admin', async () => {
    const reader = await seedAdmin('Reader');
    const res = await whoAmI(request({ headers: bearer(reader.bearer) }), noParams);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ email: reader.email, role: 'Reader', via: 'access-token' });
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('refuses an unknown or revoked bearer token with 401, without falling back to the session', async () => {
    const owner = await seedAdmin('Owner');
    session.current = { adminId: owner.adminId };
    const res = await whoAmI(request({ headers: bearer('cnp_not-a-real-token') }), noParams);
    expect(res.status).toBe(401);
    expect((await errorBody(res)).message).toBe('The access token is not valid or was revoked.');
  });

  it('refuses a Reader’s token on a Contributor route with 403, and lets a Contributor and an Owner through', async () => {
    const reader = await seedAdmin('Reader');
    const denied = await contributorOnly(request({ method: 'POST', headers: bearer(reader.bearer) }), noParams);
    expect(denied.status).toBe(403);
    expect(await errorBody(denied)).toMatchObject({ code: 'forbidden', message: 'This needs the Contributor role; you are a Reader.' });

    for (const role of ['Contributor', 'Owner'] as const) {
      const admin = await seedAdmin(role);
      expect((await contributorOnly(request({ method: 'POST', headers: bearer(admin.bearer) }), noParams)).status, role).toBe(200);
    }
  });

  it('reads the role from the database on each request, so a demotion applies at once', async () => {
    const contributor = await seedAdmin('Contributor');
    expect((await contributorOnly(request({ headers: bearer(contributor.bearer) }), noParams)).status).toBe(200);
    await getDb().adminUser.update({ where: { id: contributor.adminId }, data: { role: 'Reader' } });
    expect((await contributorOnly(request({ headers: bearer(contributor.bearer) }), noParams)).status).toBe(403);
  });

  it('accepts HTTP Basic only on routes that allow it', async () => {
    const owner = await seedAdmin('Owner');
    const accepted = await basicAllowed(request({ method: 'POST', headers: basic(owner.email, password) }), noParams);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ email: owner.email, via: 'basic' });

    for (const method of ['POST', 'GET']) {
      const refused = await whoAmI(request({ method, headers: basic(owner.email, password) }), noParams);
      expect(refused.status, method).toBe(401);
      expect((await errorBody(refused)).code).toBe('unauthorized');
    }
  });

  it('refuses wrong HTTP Basic credentials with 401 and, after 5 failures from one address, with 429 and Retry-After; another address gets in', async () => {
    const owner = await seedAdmin('Owner');
    const from = (address: string, pw: string) =>
      basicAllowed(request({ method: 'POST', headers: { ...basic(owner.email, pw), 'x-canopy-client-address': address } }), noParams);
    const wrong = await from('10.8.0.1', 'wrong');
    expect(wrong.status).toBe(401);
    expect((await errorBody(wrong)).code).toBe('invalid_credentials');
    for (let i = 0; i < 4; i++) await from('10.8.0.1', 'wrong');

    const limited = await from('10.8.0.1', password);
    expect(limited.status).toBe(429);
    expect((await errorBody(limited)).code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('10.8.0.2', password)).status).toBe(200);
  });

  it('refuses HTTP Basic without a colon with 401', async () => {
    const res = await basicAllowed(
      request({ method: 'POST', headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` } }),
      noParams,
    );
    expect(res.status).toBe(401);
    expect((await errorBody(res)).message).toBe('Send HTTP Basic credentials as email:password.');
  });

  it('accepts the portal’s session cookie for GET only, never for a change', async () => {
    const owner = await seedAdmin('Owner');
    session.current = { adminId: owner.adminId };
    const read = await whoAmI(request(), noParams);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ email: owner.email, role: 'Owner', via: 'session' });

    const change = await whoAmI(request({ method: 'POST' }), noParams);
    expect(change.status).toBe(401);
  });

  it('does not accept the session of a disabled admin', async () => {
    const owner = await seedAdmin('Owner');
    session.current = { adminId: owner.adminId };
    await getDb().adminUser.update({ where: { id: owner.adminId }, data: { disabled: true } });
    expect((await whoAmI(request(), noParams)).status).toBe(401);
    expect((await whoAmI(request({ headers: bearer(owner.bearer) }), noParams)).status).toBe(401);
  });
});

describe('apiRoute errors', () => {
  it('maps an expected error (ConflictError) to its status, code, message and details', async () => {
    const owner = await seedAdmin('Owner');
    const conflicting = apiRoute({}, async () => {
      throw new ConflictError('The name is taken.', [{ field: 'name', message: 'This name is taken.' }]);
    });
    const res = await conflicting(request({ method: 'POST', headers: bearer(owner.bearer) }), noParams);
    expect(res.status).toBe(409);
    expect(await errorBody(res)).toEqual({
      code: 'conflict',
      message: 'The name is taken.',
      details: [{ field: 'name', message: 'This name is taken.' }],
    });
  });

  it('answers 500 with a generic message naming the request id, logs the error, and never leaks its message', async () => {
    const owner = await seedAdmin('Owner');
    const failing = apiRoute({}, async () => {
      throw new Error('password=hunter2 at db.internal:5432');
    });
    const requestId = `req-${randomUUID()}`;
    const res = await failing(request({ method: 'POST', headers: { ...bearer(owner.bearer), 'x-request-id': requestId } }), noParams);
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const text = await res.clone().text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('db.internal');
    const error = await errorBody(res);
    expect(error.code).toBe('internal_error');
    expect(error.message).toContain(requestId);
    expect(error.details).toEqual([]);
    expect(consoleError).toHaveBeenCalledWith(
      expect.stringContaining(requestId),
      expect.objectContaining({ message: 'password=hunter2 at db.internal:5432' }),
    );
  });

  it('counts unexpected errors of unauthenticated requests per address: after the limit 429 up front, and only a few logged; an admin’s own 500s are not counted', async () => {
    const owner = await seedAdmin('Owner');
    const failing = apiRoute({}, async () => {
      throw new Error('a fault after authentication');
    });
    const from = (address: string, token: string) => request({ headers: { ...bearer(token), 'x-canopy-client-address': address } });
    for (let i = 0; i <= UNEXPECTED_ERROR_LIMIT.max; i++)
      expect((await failing(from('10.9.0.1', owner.bearer), noParams)).status).toBe(500);
    expect(consoleError).toHaveBeenCalledTimes(UNEXPECTED_ERROR_LIMIT.max + 1);
    consoleError.mockClear();

    // a fault before anyone is authenticated: the access tokens cannot be read
    await getDb().$executeRawUnsafe('ALTER TABLE "AccessToken" RENAME TO "AccessToken_away"');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < UNEXPECTED_ERROR_LIMIT.max + 3; i++)
        statuses.push((await whoAmI(from('10.9.0.2', 'cnp_anything'), noParams)).status);
      expect(statuses).toEqual([...Array(UNEXPECTED_ERROR_LIMIT.max).fill(500), 429, 429, 429]);
      const refused = await whoAmI(from('10.9.0.2', 'cnp_anything'), noParams);
      expect((await errorBody(refused)).code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(consoleError.mock.calls.length).toBeLessThanOrEqual(UNEXPECTED_ERRORS_LOGGED_PER_MINUTE);
      // another address is not refused
      expect((await whoAmI(from('10.9.0.3', 'cnp_anything'), noParams)).status).toBe(500);
    } finally {
      await getDb().$executeRawUnsafe('ALTER TABLE "AccessToken_away" RENAME TO "AccessToken"');
    }
  });

  it('runs the handler with the request id of the request, or a fresh one', async () => {
    const owner = await seedAdmin('Owner');
    const seen = apiRoute({}, async () => json({ requestId: currentRequestId() }));
    const given = await seen(request({ headers: { ...bearer(owner.bearer), 'x-request-id': 'abc-123' } }), noParams);
    expect(await given.json()).toEqual({ requestId: 'abc-123' });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const fresh = await seen(request({ headers: bearer(owner.bearer) }), noParams);
    const { requestId } = (await fresh.json()) as { requestId: string };
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers.get('x-request-id')).toBe(requestId);
  });

  it('hands the route parameters to the handler', async () => {
    const owner = await seedAdmin('Owner');
    const named = apiRoute<{ name: string }>({}, async ({ params }) => json(params));
    const res = await named(request({ headers: bearer(owner.bearer) }), { params: Promise.resolve({ name: 'edge01' }) });
    expect(await res.json()).toEqual({ name: 'edge01' });
  });
});

describe('readJson and readQuery', () => {
  it('answer 400 for a body that is not JSON', async () => {
    const owner = await seedAdmin('Owner');
    const res = await echoBody(request({ method: 'POST', headers: bearer(owner.bearer), body: '{"name": ' }), noParams);
    expect(res.status).toBe(400);
    expect(await errorBody(res)).toEqual({ code: 'invalid_request', message: 'The request body is not valid JSON.', details: [] });
  });

  it('answer 400 with details naming each bad field when the schema refuses the body', async () => {
    const owner = await seedAdmin('Owner');
    const res = await echoBody(request({ method: 'POST', headers: bearer(owner.bearer), body: JSON.stringify({ name: 'abc' }) }), noParams);
    expect(res.status).toBe(400);
    const error = await errorBody(res);
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual([{ field: 'name', message: 'At least 5 characters.' }]);

    const unknownKey = await echoBody(
      request({ method: 'POST', headers: bearer(owner.bearer), body: JSON.stringify({ name: 'abcdef', extra: 1 }) }),
      noParams,
    );
    expect(unknownKey.status).toBe(400);
  });

  it('treat an empty body as {} and pass a valid one through', async () => {
    const owner = await seedAdmin('Owner');
    const empty = await echoBody(request({ method: 'POST', headers: bearer(owner.bearer) }), noParams);
    expect(empty.status).toBe(400);
    expect((await errorBody(empty)).details.map((d) => d.field)).toEqual(['name']);
    const ok = await echoBody(
      request({ method: 'POST', headers: bearer(owner.bearer), body: JSON.stringify({ name: 'abcdef' }) }),
      noParams,
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ name: 'abcdef' });
  });

  it('readQuery validates the query string', async () => {
    const owner = await seedAdmin('Owner');
    const route = apiRoute({}, async ({ req }) => json(readQuery(req, z.object({ limit: z.coerce.number().int().max(10) }))));
    const ok = await route(request({ headers: bearer(owner.bearer) }, 'http://localhost/api/v1/x?limit=7'), noParams);
    expect(await ok.json()).toEqual({ limit: 7 });
    const bad = await route(request({ headers: bearer(owner.bearer) }, 'http://localhost/api/v1/x?limit=70'), noParams);
    expect(bad.status).toBe(400);
    expect((await errorBody(bad)).details.map((d) => d.field)).toEqual(['limit']);
  });
});

describe('the /api/v1 routes built on apiRoute', () => {
  it('POST /api/v1/access-tokens with HTTP Basic creates a token shown once, not cached, that then works as a bearer token', async () => {
    const owner = await seedAdmin('Owner');
    const created = await accessTokensRoute.POST(
      request(
        { method: 'POST', headers: basic(owner.email, password), body: JSON.stringify({ name: 'ci' }) },
        'http://localhost/api/v1/access-tokens',
      ),
      noParams,
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { token } = (await created.json()) as { token: string };
    expect(token).toMatch(/^cnp_/);

    const listed = await accessTokensRoute.GET(request({ headers: bearer(token) }, 'http://localhost/api/v1/access-tokens'), noParams);
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { items: { name: string }[]; next: string | null };
    expect(page.items.map((t) => t.name).sort()).toEqual(['ci', 'tests']);
    expect(page.next).toBeNull();
    expect(JSON.stringify(page)).not.toContain(token);
  });

  it('GET /api/v1/audit-events refuses a bad limit with 400 naming the field', async () => {
    const reader = await seedAdmin('Reader');
    const res = await auditEventsRoute.GET(
      request({ headers: bearer(reader.bearer) }, 'http://localhost/api/v1/audit-events?limit=0'),
      noParams,
    );
    expect(res.status).toBe(400);
    expect((await errorBody(res)).details.map((d) => d.field)).toEqual(['limit']);
    const ok = await auditEventsRoute.GET(
      request({ headers: bearer(reader.bearer) }, 'http://localhost/api/v1/audit-events?limit=1'),
      noParams,
    );
    expect(ok.status).toBe(200);
    const page = (await ok.json()) as { items: unknown[]; next: string | null };
    expect(page.items).toHaveLength(1);
    expect(page.next).toEqual(expect.any(String));
  });
});
