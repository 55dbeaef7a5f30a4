// Malformed text at the boundary: NUL bytes, control characters, over-long strings and
// invisible characters get a 400 (or the token protocol's 401) with a clear message, never a
// 500, and nothing is written. Route handlers are called as Next.js calls them.
import { beforeAll, describe, expect, it } from 'vitest';
import * as adminRoute from '@/app/api/v1/admins/[email]/route';
import * as adminsRoute from '@/app/api/v1/admins/route';
import * as auditRoute from '@/app/api/v1/audit-events/route';
import * as registryRoute from '@/app/api/v1/registries/[registry]/route';
import * as scopeMapsRoute from '@/app/api/v1/registries/[registry]/scope-maps/route';
import * as tokensRoute from '@/app/api/v1/registries/[registry]/tokens/route';
import { encodeCursor } from '@/lib/api/pagination';
import { authenticateAdmin } from '@/lib/auth/sign-in';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { statusInput } from '@/lib/gateway/schemas';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { ensureSigningKey } from '@/lib/token-service/keys';
import { handleTokenRequest } from '@/lib/token-service/endpoint';
import { createToken } from '@/lib/tokens/service/create-token';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { basicAuth as basic, callRoute, type ErrorBody } from '@/test/routes';

setupTestDatabase();

let owner: Awaited<ReturnType<typeof createActorWithBearer>>;
let cloud: string;
let password: string;

/** Calls a route handler as the owner, with a raw body (as a client may send anything). */
const call = (
  handler: unknown,
  path: string,
  { method = 'GET', body, params = {} }: { method?: string; body?: string; params?: Record<string, string> } = {},
) => callRoute<Partial<ErrorBody>>(handler, { bearer: owner.bearer, method, path, body, params });

const written = async () => {
  const db = getDb();
  const [admins, scopeMaps, tokens, audit] = await Promise.all([
    db.adminUser.count(),
    db.scopeMap.count(),
    db.token.count(),
    db.auditEvent.count(),
  ]);
  return { admins, scopeMaps, tokens, audit };
};

beforeAll(async () => {
  owner = await createActorWithBearer('Owner');
  cloud = await createCloudRegistryFixture(owner);
  password = (await createToken(owner, cloud, { name: 'reader', scopeMap: '_repositories_pull', status: 'enabled', noPasswords: false }))
    .passwords[0].value;
  await createConnectedRegistry(owner, cloud, {
    name: 'edgeone',
    mode: 'ReadWrite',
    loginServer: 'edgeone.boundary.local',
    repositories: ['apps/web'],
    clientTokens: ['reader'],
    notifications: [],
  });
  await ensureSigningKey();
});

describe('JSON bodies', () => {
  it('a NUL byte anywhere (a description, a name, a list entry, a key) is a 400 naming the field, and nothing is written', async () => {
    const before = await written();
    const bodies: [unknown, string, Record<string, string>][] = [
      [
        scopeMapsRoute.POST,
        JSON.stringify({ name: 'nulmap', description: 'a\u0000b', actions: ['repositories/x/content/read'] }),
        { registry: cloud },
      ],
      [scopeMapsRoute.POST, JSON.stringify({ name: 'nulmap', actions: ['repositories/x/content/read\u0000'] }), { registry: cloud }],
      [tokensRoute.POST, JSON.stringify({ name: 'nultoken', scopeMap: '_repositories_pull\u0000' }), { registry: cloud }],
      [
        adminsRoute.POST,
        JSON.stringify({ email: 'nul@canopy.test', name: 'N\u0000L', password: 'a-long-enough-password', role: 'Reader' }),
        {},
      ],
      [
        adminsRoute.POST,
        JSON.stringify({ email: 'nul@canopy.test', name: 'x'.repeat(7000), password: 'a-long-enough-password', role: 'Reader' }),
        {},
      ],
    ];
    for (const [handler, body, params] of bodies) {
      const res = await call(handler, '/x', { method: 'POST', body, params });
      expect(res.status, body.slice(0, 80)).toBe(400);
      expect(res.body?.error?.code).toBe('invalid_request');
      expect(res.body?.error?.message).toMatch(/NUL byte|too long|characters/);
    }
    expect(await written()).toEqual(before);
  });

  it('refuses bidi-override and zero-width characters in names and descriptions', async () => {
    const before = await written();
    const admin = await call(adminsRoute.POST, '/admins', {
      method: 'POST',
      body: JSON.stringify({ email: 'bidi@canopy.test', name: 'admin\u202Egnp.exe', password: 'a-long-enough-password', role: 'Reader' }),
    });
    expect(admin.status).toBe(400);
    expect(admin.body?.error?.details[0].field).toBe('name');
    const map = await call(scopeMapsRoute.POST, '/x', {
      method: 'POST',
      params: { registry: cloud },
      body: JSON.stringify({ name: 'bidimap', description: 'pull\u200Bonly', actions: ['repositories/x/content/read'] }),
    });
    expect(map.status).toBe(400);
    expect(map.body?.error?.details[0].field).toBe('description');
    expect(await written()).toEqual(before);
  });
});

describe('path parameters, query strings and cursors', () => {
  it('PATCH /api/v1/admins/a%25 is decoded once: a 404 for the admin "a%", not a 500', async () => {
    const res = await call(adminRoute.PATCH, '/admins/a%25', {
      method: 'PATCH',
      body: JSON.stringify({ role: 'Reader' }),
      params: { email: 'a%' },
    });
    expect(res.status).toBe(404);
  });

  it('a NUL byte or an over-long value in a path parameter is a 400', async () => {
    expect((await call(registryRoute.GET, '/registries/x', { params: { registry: 'con\u0000toso' } })).status).toBe(400);
    expect((await call(registryRoute.GET, '/registries/x', { params: { registry: 'c'.repeat(7000) } })).status).toBe(400);
  });

  it('a NUL byte in a filter or a cursor is a 400', async () => {
    expect((await call(auditRoute.GET, '/audit-events?actor=%00')).status).toBe(400);
    expect((await call(auditRoute.GET, '/audit-events?action=admin%00')).status).toBe(400);
    expect((await call(auditRoute.GET, `/audit-events?cursor=${encodeCursor({ id: '1\u0000' })}`)).status).toBe(400);
  });
});

describe('credentials', () => {
  const tokenRequest = (query: string, auth?: string) =>
    handleTokenRequest(
      new Request(`http://canopy.test/oauth2/token?${query}`, {
        headers: { 'x-canopy-client-address': '10.7.0.1', ...(auth ? { authorization: auth } : {}) },
      }),
    );

  it('the token endpoint answers 401 to a NUL or 7,000-character token name, 400 to a NUL service, and still serves the right password', async () => {
    expect((await tokenRequest('service=edgeone.boundary.local', basic('rea\u0000der', password))).status).toBe(401);
    expect((await tokenRequest('service=edgeone.boundary.local', basic('r'.repeat(7000), password))).status).toBe(401);
    const form = await handleTokenRequest(
      new Request('http://canopy.test/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-canopy-client-address': '10.7.0.2' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: 't',
          service: 'edgeone.boundary.local',
          username: 'x'.repeat(7000),
          password: 'p\u0000',
        }).toString(),
      }),
    );
    expect(form.status).toBe(401);
    expect((await tokenRequest('service=edge%00one.boundary.local', basic('reader', password))).status).toBe(400);
    expect((await tokenRequest('service=edgeone.boundary.local', basic('reader', password))).status).toBe(200);
  });

  it('signing in with a NUL or over-long email is wrong credentials (401), not a 500', async () => {
    await expect(authenticateAdmin('ad\u0000min@canopy.test', 'whatever-password', '10.7.0.3', 'basic')).rejects.toMatchObject({
      status: 401,
    });
    await expect(authenticateAdmin(`${'a'.repeat(7000)}@canopy.test`, 'whatever-password', '10.7.0.3', 'basic')).rejects.toMatchObject({
      status: 401,
    });
  });
});

describe('gateway status reports', () => {
  it('refuse a lastSyncTime far in the future, and a NUL in the version, with 400', () => {
    expect(() => parseInput(statusInput, { connectionState: 'Online', lastSyncTime: '9999-12-31T00:00:00Z' })).toThrow(/future/);
    expect(() => parseInput(statusInput, { connectionState: 'Online', version: '2.1\u0000' })).toThrow(/NUL/);
    const soon = new Date(Date.now() + 60_000).toISOString();
    expect(parseInput(statusInput, { connectionState: 'Online', lastSyncTime: soon }).lastSyncTime).toBe(soon);
  });
});
