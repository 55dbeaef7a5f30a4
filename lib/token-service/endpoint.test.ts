// Over 300 lines on purpose: one token endpoint, one signing-key set and one rate-limit state
// shared by its GET, POST, rotation and cost-cap tests, which read each other's effects.
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { CHANNEL } from '@/lib/db/change-feed';
import { getDb } from '@/lib/db/client';
import { UNEXPECTED_ERROR_LIMIT, UNEXPECTED_ERRORS_LOGGED_PER_MINUTE } from '@/lib/rate-limit/unexpected-errors';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createScopeMap } from '@/lib/scope-maps/service';
import { createToken } from '@/lib/tokens/service/create-token';
import { regeneratePassword } from '@/lib/tokens/service/regenerate-passwords';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { basicAuth as basic } from '@/test/routes';
import { handleTokenRequest, issueToken, TOKEN_FAILURE_LIMITS } from './endpoint';
import { isTokenRequest } from './node-handler';
import {
  certificateBundle,
  ensureSigningKey,
  REFRESH_TOKEN_TTL_SECONDS,
  refreshTokenVerificationKeys,
  rotateSigningKey,
  SIGNING_KEYS_CHANGED,
} from './keys';

setupTestDatabase();

const EDGE = 'edge.factory.local:5000';
const RO = 'mirror.ship.local';
let actor: Actor;
const pw: Record<string, string> = {};

function get(query: string, auth?: string, address = '10.0.0.1') {
  const headers: Record<string, string> = { 'x-canopy-client-address': address };
  if (auth) headers.authorization = auth;
  return handleTokenRequest(new Request(`http://canopy.test/oauth2/token?${query}`, { headers }));
}

function post(form: Record<string, string>, address = '10.0.0.1') {
  return handleTokenRequest(
    new Request('http://canopy.test/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-canopy-client-address': address },
      body: new URLSearchParams(form).toString(),
    }),
  );
}

async function access(res: Response) {
  expect(res.status).toBe(200);
  const body = await res.json();
  return decodeJwt(body.token).access as { type: string; name: string; actions: string[] }[];
}

beforeAll(async () => {
  process.env.CANOPY_TOKEN_ISSUER = 'canopy-test-issuer';
  actor = await createActor('Owner');
  await createCloudRegistryFixture(actor, 'contoso');
  await createScopeMap(actor, 'contoso', {
    name: 'apps-rw',
    actions: ['content/read', 'content/write', 'content/delete', 'metadata/read'].map((a) => `repositories/apps/*/${a}`),
  });
  await createScopeMap(actor, 'contoso', {
    name: 'apps-ro',
    actions: ['repositories/apps/*/content/read', 'repositories/apps/*/metadata/read'],
  });
  for (const [name, map] of [
    ['builder', 'apps-rw'],
    ['viewer', 'apps-ro'],
    ['admin-token', '_repositories_admin'],
    ['outsider', 'apps-rw'],
    ['lockme', 'apps-ro'],
  ] as const) {
    pw[name] = (await createToken(actor, 'contoso', { name, scopeMap: map, status: 'enabled', noPasswords: false })).passwords[1].value;
  }
  await createConnectedRegistry(actor, 'contoso', {
    name: 'edge01',
    mode: 'ReadWrite',
    loginServer: EDGE,
    repositories: ['apps/web'],
    clientTokens: ['builder', 'viewer', 'admin-token', 'lockme'],
    notifications: [],
  });
  await createConnectedRegistry(actor, 'contoso', {
    name: 'mirror01',
    mode: 'ReadOnly',
    loginServer: RO,
    repositories: ['apps/web'],
    clientTokens: ['viewer'],
    notifications: [],
  });
  await ensureSigningKey();
});

describe('GET /oauth2/token', () => {
  it('grants the intersection of what was asked and what the scope map allows, in a verifiable ES256 JWT', async () => {
    const res = await get(
      `service=${EDGE}&scope=repository:apps/web:pull,push&scope=repository:other/repo:pull`,
      basic('builder', pw.builder),
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBeLessThanOrEqual(300);
    expect(new Date(body.issued_at).toISOString()).toBe(body.issued_at);
    const header = decodeProtectedHeader(body.token);
    expect(header.alg).toBe('ES256');
    expect(header.x5c).toHaveLength(1);
    // verify against the published certificate, as a registry does
    const cert = await certificateBundle();
    const { payload } = await jwtVerify(body.token, await importX509(cert, 'ES256'), { issuer: 'canopy-test-issuer', audience: EDGE });
    expect(payload.sub).toBe('builder');
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
    expect(payload.nbf).toBeDefined();
    expect(payload.access).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull', 'push'] }]);
    // the claims' text is what JSON.stringify writes of them, in this order
    const { access, iss, sub, aud, iat, nbf, exp, jti } = payload;
    expect(Buffer.from(body.token.split('.')[1], 'base64url').toString()).toBe(
      JSON.stringify({ access, iss, sub, aud, iat, nbf, exp, jti }),
    );
  });

  it('gives each token a unique jti', async () => {
    const a = await (await get(`service=${EDGE}&scope=repository:apps/web:pull`, basic('viewer', pw.viewer))).json();
    const b = await (await get(`service=${EDGE}&scope=repository:apps/web:pull`, basic('viewer', pw.viewer))).json();
    expect(decodeJwt(a.token).jti).not.toBe(decodeJwt(b.token).jti);
  });

  it('a smaller grant is not an error: a pull-only token asking to push gets pull', async () => {
    expect(await access(await get(`service=${EDGE}&scope=repository:apps/web:pull,push,delete`, basic('viewer', pw.viewer)))).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
  });

  it('a ReadOnly registry never grants push or delete, whatever the scope map says', async () => {
    // viewer is read-only; a ReadOnly registry cannot accept write tokens at all, so check the
    // cloud registry grants push to builder while the ReadOnly mirror grants only pull to viewer
    expect(await access(await get(`service=${RO}&scope=repository:apps/web:pull,push,delete`, basic('viewer', pw.viewer)))).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
  });

  it('grants registry:catalog:* only to _repositories_admin tokens', async () => {
    expect(await access(await get(`service=${EDGE}&scope=registry:catalog:*`, basic('admin-token', pw['admin-token'])))).toEqual([
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
    expect(await access(await get(`service=${EDGE}&scope=registry:catalog:*`, basic('builder', pw.builder)))).toEqual([]);
  });

  it('an empty grant is fine (login without scope)', async () => {
    expect(await access(await get(`service=${EDGE}`, basic('viewer', pw.viewer)))).toEqual([]);
  });

  it('wrong credentials are a 401 with a JSON body', async () => {
    const res = await get(`service=${EDGE}&scope=repository:apps/web:pull`, basic('builder', 'wrong'), '10.0.0.2');
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.errors[0].code).toBe('UNAUTHORIZED');
    expect(body.token).toBeUndefined();
  });

  it('an unknown service is a 400; a missing service is a 400', async () => {
    expect((await get('service=nope.example.com', basic('builder', pw.builder))).status).toBe(400);
    expect((await get('scope=repository:apps/web:pull', basic('builder', pw.builder))).status).toBe(400);
  });

  it('a connected registry refuses tokens it does not accept; the cloud registry accepts any of its tokens', async () => {
    expect((await get(`service=${EDGE}`, basic('outsider', pw.outsider), '10.0.0.3')).status).toBe(401);
    expect((await get('service=contoso.azurecr.io&scope=repository:apps/x:push', basic('outsider', pw.outsider))).status).toBe(200);
  });

  it('a sync token authenticates at its parent (the cloud registry)', async () => {
    const sync = await regeneratePassword(actor, 'contoso', 'edge01-sync-token', { name: 'password1' });
    expect(
      await access(await get('service=contoso.azurecr.io&scope=repository:apps/web:pull,push', basic('edge01-sync-token', sync.value))),
    ).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull', 'push'] }]);
  });

  it('records the slot’s last-used time', async () => {
    await get(`service=${EDGE}`, basic('lockme', pw.lockme));
    await new Promise((r) => setTimeout(r, 200));
    const token = await getDb().token.findFirstOrThrow({ where: { name: 'lockme' }, include: { passwords: true } });
    expect(token.passwords.find((p) => p.slot === 'password2')?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('counts failures per (token, address): a guessing address gets 429, the token still works from every address, even that one', async () => {
    const guesser = '10.1.0.1';
    const statuses: number[] = [];
    // the limit holds whatever the case of the name
    for (let i = 0; i <= TOKEN_FAILURE_LIMITS.perCredentialAddress.max; i++) {
      statuses.push((await get(`service=${EDGE}`, basic(i % 2 ? 'LOCKME' : 'lockme', `wrong-${i}`), guesser)).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    const last = await get(`service=${EDGE}`, basic('lockme', 'wrong-again'), guesser);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(last.headers.get('retry-after'))).toBeLessThanOrEqual(TOKEN_FAILURE_LIMITS.perCredentialAddress.windowSeconds);
    // the real client on another address is served
    expect((await get(`service=${EDGE}`, basic('lockme', pw.lockme), '10.9.9.9')).status).toBe(200);
    // and a correct password is served from the guessing address too: its own limit is not reached
    expect((await get(`service=${EDGE}`, basic('lockme', pw.lockme), guesser)).status).toBe(200);
  });

  it('reaching one token’s limit blocks only that (token, address): other tokens from that address are unaffected', async () => {
    const address = '10.1.1.1';
    for (let i = 0; i <= TOKEN_FAILURE_LIMITS.perCredentialAddress.max; i++)
      await get(`service=${EDGE}`, basic('builder', `wrong-${i}`), address);
    expect((await get(`service=${EDGE}`, basic('builder', 'wrong'), address)).status).toBe(429);
    expect((await get(`service=${EDGE}`, basic('viewer', 'wrong'), address)).status).toBe(401);
    expect((await get(`service=${EDGE}`, basic('viewer', pw.viewer), address)).status).toBe(200);
  });

  it('an address over its own limit gets 429 for everything, the right password included; other addresses do not', async () => {
    const address = '10.1.2.1';
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'];
    let status = 0;
    for (let i = 0; i <= TOKEN_FAILURE_LIMITS.perAddress.max; i++) {
      status = (await get(`service=${EDGE}`, basic(names[i % names.length], 'wrong'), address)).status;
    }
    expect(status).toBe(429);
    const refused = await get(`service=${EDGE}`, basic('viewer', pw.viewer), address);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(`service=${EDGE}`, basic('viewer', pw.viewer), '10.1.2.2')).status).toBe(200);
  });

  it('never counts a right password against the limits: a disabled token, an expired password, a token the registry does not accept or a disabled registry, asked for again and again, get 401, and other tokens at that address are served', async () => {
    // a token whose password has lapsed (written straight to the database: the API only sets future expiries)
    pw.lapsed = (
      await createToken(actor, 'contoso', { name: 'lapsed', scopeMap: 'apps-ro', status: 'enabled', noPasswords: false })
    ).passwords[1].value;
    await getDb().tokenPassword.updateMany({ where: { token: { name: 'lapsed' } }, data: { expiry: new Date(Date.now() - 1000) } });
    const refusals: [string, string, string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        '10.1.3.1',
        EDGE,
        'admin-token',
        () => updateToken(actor, 'contoso', 'admin-token', { status: 'disabled' }),
        () => updateToken(actor, 'contoso', 'admin-token', { status: 'enabled' }),
      ],
      ['10.1.3.2', 'contoso.azurecr.io', 'lapsed', async () => {}, async () => {}],
      ['10.1.3.3', EDGE, 'outsider', async () => {}, async () => {}],
      [
        '10.1.3.4',
        RO,
        'viewer',
        () => updateToken(actor, 'contoso', 'mirror01-sync-token', { status: 'disabled' }),
        () => updateToken(actor, 'contoso', 'mirror01-sync-token', { status: 'enabled' }),
      ],
    ];
    for (const [address, service, name, before, after] of refusals) {
      await before();
      try {
        const answers: string[] = [];
        for (let i = 0; i <= TOKEN_FAILURE_LIMITS.perAddress.max + 5; i++) {
          const res = await get(`service=${service}`, basic(name, pw[name]), address);
          answers.push(`${res.status} ${(await res.json()).errors[0].message}`);
        }
        // one refusal, the same each time, and never a 429
        expect(new Set(answers).size, `${name} at ${service}`).toBe(1);
        expect(answers[0], `${name} at ${service}`).toMatch(/^401 .*(disabled|expired|not accepted)/);
      } finally {
        await after();
      }
      expect((await get(`service=${EDGE}`, basic('viewer', pw.viewer), address)).status, `viewer after ${name}`).toBe(200);
    }
  });

  it('counts a refresh token that is not valid as a wrong credential', async () => {
    const address = '10.1.4.1';
    let status = 0;
    for (let i = 0; i <= TOKEN_FAILURE_LIMITS.perAddress.max; i++) {
      status = (await post({ grant_type: 'refresh_token', service: EDGE, client_id: 'test', refresh_token: `forged.${i}.token` }, address))
        .status;
    }
    expect(status).toBe(429);
  });
});

describe('unexpected errors before authentication', () => {
  it('are answered 500 until the address reaches its limit, then 429 up front; the log gets a few, not a flood', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // a client that drops its upload half-way, again and again
      const broken = (address: string) =>
        issueToken({
          method: 'POST',
          url: '/oauth2/token',
          header: (name) => (name === 'content-type' ? 'application/x-www-form-urlencoded' : undefined),
          body: () => Promise.reject(new Error('aborted')),
          clientAddress: address,
        });
      const statuses: number[] = [];
      for (let i = 0; i < UNEXPECTED_ERROR_LIMIT.max + 5; i++) statuses.push((await broken('10.5.0.1')).status);
      expect(statuses.slice(0, UNEXPECTED_ERROR_LIMIT.max)).toEqual(Array(UNEXPECTED_ERROR_LIMIT.max).fill(500));
      expect(statuses.slice(UNEXPECTED_ERROR_LIMIT.max)).toEqual(Array(5).fill(429));
      // refused up front, whatever it sends
      const refused = await get(`service=${EDGE}`, basic('viewer', pw.viewer), '10.5.0.1');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(consoleError.mock.calls.length).toBeLessThanOrEqual(UNEXPECTED_ERRORS_LOGGED_PER_MINUTE);
      // another address is served
      expect((await get(`service=${EDGE}`, basic('viewer', pw.viewer), '10.5.0.2')).status).toBe(200);
    } finally {
      consoleError.mockRestore();
    }
  });
});

describe('POST /oauth2/token', () => {
  it('grant_type=password with access_type=offline returns a refresh token that works until the slot is regenerated', async () => {
    const res = await post({
      grant_type: 'password',
      service: EDGE,
      client_id: 'test',
      access_type: 'offline',
      scope: 'repository:apps/web:pull',
      username: 'builder',
      password: pw.builder,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(decodeJwt(body.access_token).access).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);

    const refreshed = await post({
      grant_type: 'refresh_token',
      service: EDGE,
      client_id: 'test',
      refresh_token: body.refresh_token,
      scope: 'repository:apps/web:push',
    });
    expect(await access(refreshed)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['push'] }]);

    await regeneratePassword(actor, 'contoso', 'builder', { name: 'password2' });
    const revoked = await post(
      { grant_type: 'refresh_token', service: EDGE, client_id: 'test', refresh_token: body.refresh_token },
      '10.0.0.5',
    );
    expect(revoked.status).toBe(401);
  });

  it('rejects a missing client_id or an unknown grant_type with 400', async () => {
    expect((await post({ grant_type: 'password', service: EDGE, username: 'viewer', password: pw.viewer })).status).toBe(400);
    expect((await post({ grant_type: 'magic', service: EDGE, client_id: 'x' })).status).toBe(400);
  });

  it('a disabled connected registry grants nothing to anyone', async () => {
    await updateToken(actor, 'contoso', 'mirror01-sync-token', { status: 'disabled' });
    expect((await get(`service=${RO}`, basic('viewer', pw.viewer))).status).toBe(401);
    await updateToken(actor, 'contoso', 'mirror01-sync-token', { status: 'enabled' });
    expect((await get(`service=${RO}`, basic('viewer', pw.viewer))).status).toBe(200);
  });
});

describe('signing-key rotation', () => {
  const kidOf = async (res: Response) => {
    expect(res.status).toBe(200);
    return decodeProtectedHeader((await res.json()).token).kid;
  };

  it('a refresh token keeps working after the key that signed it is retired, until it expires', async () => {
    const res = await post({
      grant_type: 'password',
      service: EDGE,
      client_id: 'test',
      access_type: 'offline',
      username: 'viewer',
      password: pw.viewer,
    });
    const { refresh_token: refreshToken } = await res.json();
    const signedBy = decodeProtectedHeader(refreshToken).kid!;
    await rotateSigningKey(actor, 0);
    // long after the rotation: the old key is no longer published for registries
    await getDb().signingKey.update({ where: { kid: signedBy }, data: { retiredAt: new Date(Date.now() - 86400_000) } });
    expect(await certificateBundle()).not.toContain(
      (await getDb().signingKey.findUniqueOrThrow({ where: { kid: signedBy } })).certificate.trim(),
    );
    const refreshed = await post({
      grant_type: 'refresh_token',
      service: EDGE,
      client_id: 'test',
      refresh_token: refreshToken,
      scope: 'repository:apps/web:pull',
    });
    expect(await access(refreshed)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);

    // once every refresh token it signed has expired, the key verifies nothing any more
    await getDb().signingKey.update({
      where: { kid: signedBy },
      data: { retiredAt: new Date(Date.now() - (REFRESH_TOKEN_TTL_SECONDS + 60) * 1000) },
    });
    expect((await refreshTokenVerificationKeys()).map((k) => k.kid)).not.toContain(signedBy);
  });

  it('a delayed rotation switches at the announced time, not when a cache expires', async () => {
    const before = await kidOf(await get(`service=${EDGE}`, basic('viewer', pw.viewer)));
    const rotated = await rotateSigningKey(actor, 2);
    expect(await kidOf(await get(`service=${EDGE}`, basic('viewer', pw.viewer)))).toBe(before);
    await new Promise((r) => setTimeout(r, new Date(rotated.activatesAt).getTime() - Date.now() + 20));
    expect(await kidOf(await get(`service=${EDGE}`, basic('viewer', pw.viewer)))).toBe(rotated.kid);
  });

  it('a rotation with no delay committed by another instance switches this one at once (NOTIFY)', async () => {
    const before = await kidOf(await get(`service=${EDGE}`, basic('viewer', pw.viewer)));
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      // what another instance's rotation commits: a new key signing now, announced with NOTIFY
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO "SigningKey" ("id", "kid", "privateKey", "encrypted", "certificate", "activatesAt")
         SELECT gen_random_uuid(), 'other-instance-key', "privateKey", "encrypted", "certificate", now() FROM "SigningKey" WHERE "kid" = $1`,
        [before],
      );
      await other.query(`SELECT pg_notify($1, $2)`, [CHANNEL, JSON.stringify([SIGNING_KEYS_CHANGED])]);
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await kidOf(await get(`service=${EDGE}`, basic('viewer', pw.viewer)))).toBe('other-instance-key');
  });

  it('publishes the new key before it signs and keeps the old one published', async () => {
    const before = await certificateBundle();
    const rotated = await rotateSigningKey(actor, 3600);
    const after = await certificateBundle();
    expect(after.startsWith(before.trim())).toBe(true);
    expect(after.match(/BEGIN CERTIFICATE/g)).toHaveLength(before.match(/BEGIN CERTIFICATE/g)!.length + 1);
    const body = await (await get(`service=${EDGE}`, basic('viewer', pw.viewer))).json();
    // still signed by the old key: the new one waits an hour
    expect(decodeProtectedHeader(body.token).kid).not.toBe(rotated.kid);
  });
});

describe('cost caps', () => {
  it('refuses more than 100 scopes with 400 before checking credentials', async () => {
    const scopes = Array.from({ length: 101 }, (_, i) => `scope=repository:apps/r${i}:pull`).join('&');
    const res = await get(`service=${EDGE}&${scopes}`, basic('viewer', pw.viewer));
    expect(res.status).toBe(400);
    expect((await res.json()).error_description).toMatch(/at most 100 scopes/);
    expect((await get(`service=${EDGE}&${scopes.split('&').slice(0, 100).join('&')}`, basic('viewer', pw.viewer))).status).toBe(200);
  });

  it('never grants a requested name of 14,000 characters (400)', async () => {
    const name = `apps/${'x'.repeat(14_000)}`;
    const res = await post({
      grant_type: 'password',
      service: EDGE,
      client_id: 't',
      scope: `repository:${name}:pull,push`,
      username: 'viewer',
      password: pw.viewer,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).token).toBeUndefined();
  });

  it('caps the body on the fetch path too (the Next.js route), whatever spelling of the path reached it', async () => {
    const big = `grant_type=password&client_id=t&service=${EDGE}&scope=${'x'.repeat(70 * 1024)}`;
    const res = await handleTokenRequest(
      new Request('http://canopy.test/oauth2/./token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-canopy-client-address': '10.0.0.1' },
        body: new ReadableStream({
          start(controller) {
            // no content-length: the reader itself must stop
            for (let i = 0; i < big.length; i += 8192) controller.enqueue(new TextEncoder().encode(big.slice(i, i + 8192)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
  });

  it('routes every spelling of /oauth2/token that Next.js would resolve to it through the capped handler', () => {
    for (const url of [
      '/oauth2/token',
      '/oauth2/token?service=x',
      '/oauth2/./token',
      '/oauth2/%2e/token',
      '/x/../oauth2/token?a=b',
      '/oauth2/token/.',
    ]) {
      expect(isTokenRequest(url), url).toBe(true);
    }
    for (const url of ['/oauth2/tokens', '/api/v1/oauth2/token', '/oauth2', undefined])
      expect(isTokenRequest(url), String(url)).toBe(false);
  });
});

describe('login servers and service names', () => {
  it('a login server that connected registries share grants nothing (400 ambiguous_service); each one’s service name works', async () => {
    await createConnectedRegistry(actor, 'contoso', {
      name: 'storeone',
      mode: 'ReadWrite',
      loginServer: 'registry.store.local',
      repositories: ['apps/web'],
      clientTokens: ['viewer'],
      notifications: [],
    });
    expect(await access(await get('service=registry.store.local&scope=repository:apps/web:pull', basic('viewer', pw.viewer)))).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
    await createConnectedRegistry(actor, 'contoso', {
      name: 'storetwo',
      mode: 'ReadOnly',
      loginServer: 'Registry.Store.Local',
      repositories: ['apps/web'],
      clientTokens: ['viewer'],
      notifications: [],
    });

    const res = await get('service=registry.store.local&scope=repository:apps/web:pull', basic('viewer', pw.viewer));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe('ambiguous_service');
    expect(body.errors[0].code).toBe('AMBIGUOUS_SERVICE');
    expect(body.error_description).toContain('service name');
    expect(body.error_description).toContain('contoso/storeone');
    expect(body.token).toBeUndefined();

    const granted = await get('service=contoso/StoreOne&scope=repository:apps/web:pull', basic('viewer', pw.viewer));
    const token = (await granted.clone().json()).token;
    expect(await access(granted)).toEqual([{ type: 'repository', name: 'apps/web', actions: ['pull'] }]);
    expect(decodeJwt(token).aud).toBe('contoso/StoreOne');
    // the service name of a ReadOnly registry still grants no push
    expect(await access(await get('service=contoso/storetwo&scope=repository:apps/web:pull,push', basic('viewer', pw.viewer)))).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
    // a token the registry does not accept is refused under its service name too
    expect((await get('service=contoso/storetwo', basic('outsider', pw.outsider), '10.0.0.77')).status).toBe(401);
  });

  it('a connected registry’s service name always works, also when its login server is unique', async () => {
    expect(await access(await get(`service=contoso/edge01&scope=repository:apps/web:pull`, basic('viewer', pw.viewer)))).toEqual([
      { type: 'repository', name: 'apps/web', actions: ['pull'] },
    ]);
    expect((await get('service=contoso/nosuchregistry', basic('viewer', pw.viewer))).status).toBe(400);
  });
});
