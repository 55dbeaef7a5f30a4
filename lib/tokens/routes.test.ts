// The tokens REST API, through its route handlers against a real database: passwords appear
// only in the no-store responses that create them, never in a GET; roles and rule errors map
// to their statuses.
import { beforeAll, describe, expect, it } from 'vitest';
import * as settingsRoute from '@/app/api/v1/registries/[registry]/connected-registries/[name]/settings/route';
import * as slotRoute from '@/app/api/v1/registries/[registry]/tokens/[name]/credentials/[slot]/route';
import * as credentialsRoute from '@/app/api/v1/registries/[registry]/tokens/[name]/credentials/route';
import * as tokenRoute from '@/app/api/v1/registries/[registry]/tokens/[name]/route';
import * as tokensRoute from '@/app/api/v1/registries/[registry]/tokens/route';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { registryRoutes, type ErrorBody } from '@/test/routes';
import { verifyTokenPassword } from './passwords';

setupTestDatabase();

const cloud = 'contoso';
let contributor: Actor & { bearer: string };
let reader: Actor & { bearer: string };

beforeAll(async () => {
  contributor = await createActorWithBearer('Contributor');
  reader = await createActorWithBearer('Reader');
  await createCloudRegistryFixture(contributor, cloud);
  await createScopeMap(contributor, cloud, {
    name: 'pullmap',
    actions: ['repositories/app/content/read', 'repositories/app/metadata/read'],
  });
  await createScopeMap(contributor, cloud, {
    name: 'pushmap',
    actions: ['repositories/app/content/read', 'repositories/app/content/write'],
  });
});

const { request, params } = registryRoutes(cloud);

type Revealed = { name: string; value: string; creationTime: string; expiry: string | null };

async function verifier(token: string, slot: 'password1' | 'password2') {
  const row = await getDb().tokenPassword.findFirstOrThrow({
    where: { token: { cloudRegistry: { name: cloud }, name: token }, slot },
    omit: { verifier: false },
  });
  return row.verifier;
}

async function createViaApi(name: string, scopeMap = 'pullmap', extra: Record<string, unknown> = {}) {
  const res = await tokensRoute.POST(request(contributor, 'POST', '/tokens', { name, scopeMap, ...extra }), params({}));
  expect(res.status).toBe(201);
  return { res, body: (await res.json()) as { name: string; passwords: Revealed[] } & Record<string, unknown> };
}

describe('POST /tokens', () => {
  it('answers 201 with the two passwords, once, under Cache-Control: no-store', async () => {
    const expiry = new Date(Date.now() + 60 * 24 * 3600 * 1000).toISOString();
    const { res, body } = await createViaApi('rest-token', 'pullmap', { expiry });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toMatchObject({ name: 'rest-token', scopeMap: 'pullmap', status: 'enabled', kind: 'client' });
    expect(body.passwords).toHaveLength(2);
    body.passwords.forEach((p, i) => {
      expect(Object.keys(p).sort()).toEqual(['creationTime', 'expiry', 'name', 'value']);
      expect(p.name).toBe(`password${i + 1}`);
      expect(p.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(p.expiry).toBe(expiry);
    });
    expect(body.passwords[0].value).not.toBe(body.passwords[1].value);
    expect(verifyTokenPassword(await verifier('rest-token', 'password1'), body.passwords[0].value)).toBe(true);
    expect(verifyTokenPassword(await verifier('rest-token', 'password2'), body.passwords[1].value)).toBe(true);
  });

  it('answers 201 with an empty list for noPasswords, and "expiry": null when none is given', async () => {
    const { body } = await createViaApi('rest-nopw', 'pullmap', { noPasswords: true });
    expect(body.passwords).toEqual([]);
    const { body: plain } = await createViaApi('rest-noexpiry');
    expect(plain.passwords.map((p) => p.expiry)).toEqual([null, null]);
  });

  it('answers 400 with field details for an expiry in the past', async () => {
    const res = await tokensRoute.POST(
      request(contributor, 'POST', '/tokens', { name: 'rest-past', scopeMap: 'pullmap', expiry: '2020-01-01T00:00:00Z' }),
      params({}),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual([{ field: 'expiry', message: 'The expiry must be in the future.' }]);
    expect(await getDb().token.count({ where: { name: 'rest-past' } })).toBe(0);
  });

  it('answers 403 to a Reader and creates nothing', async () => {
    const res = await tokensRoute.POST(request(reader, 'POST', '/tokens', { name: 'rest-reader', scopeMap: 'pullmap' }), params({}));
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe('forbidden');
    expect(await getDb().token.count({ where: { name: 'rest-reader' } })).toBe(0);
  });
});

describe('GET /tokens and /tokens/{name}', () => {
  it('never return a password value or a verifier', async () => {
    const { body } = await createViaApi('rest-secret');
    const values = body.passwords.map((p) => p.value);
    const regenerated = await credentialsRoute.POST(
      request(contributor, 'POST', '/tokens/rest-secret/credentials', { name: 'password2' }),
      params({ name: 'rest-secret' }),
    );
    values.push(((await regenerated.json()) as Revealed).value);
    const hashes = [(await verifier('rest-secret', 'password1')).split('$')[2], (await verifier('rest-secret', 'password2')).split('$')[2]];

    const responses = [
      await tokensRoute.GET(request(reader, 'GET', '/tokens'), params({})),
      await tokensRoute.GET(request(reader, 'GET', '/tokens?q=rest-secret&kind=client'), params({})),
      await tokenRoute.GET(request(reader, 'GET', '/tokens/rest-secret'), params({ name: 'rest-secret' })),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('rest-secret');
      for (const secret of [...values, ...hashes]) expect(text).not.toContain(secret);
      expect(text).not.toContain('sha256$');
      expect(text).not.toMatch(/"verifier"/);
      expect(text).not.toMatch(/"value"/);
    }
    const detail = (await (
      await tokenRoute.GET(request(reader, 'GET', '/tokens/rest-secret'), params({ name: 'rest-secret' }))
    ).json()) as {
      passwords: { name: string }[];
    };
    expect(detail.passwords.map((p) => p.name)).toEqual(['password1', 'password2']);
  });
});

describe('POST /tokens/{name}/credentials', () => {
  it('answers 200 with the new value of that slot under no-store; the other slot keeps working', async () => {
    const { body } = await createViaApi('rest-rotate');
    const res = await credentialsRoute.POST(
      request(contributor, 'POST', '/tokens/rest-rotate/credentials', { name: 'password1' }),
      params({ name: 'rest-rotate' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const revealed = (await res.json()) as Revealed;
    expect(Object.keys(revealed).sort()).toEqual(['creationTime', 'expiry', 'name', 'value']);
    expect(revealed).toMatchObject({ name: 'password1', expiry: null });
    expect(verifyTokenPassword(await verifier('rest-rotate', 'password1'), revealed.value)).toBe(true);
    expect(verifyTokenPassword(await verifier('rest-rotate', 'password1'), body.passwords[0].value)).toBe(false);
    expect(verifyTokenPassword(await verifier('rest-rotate', 'password2'), body.passwords[1].value)).toBe(true);
  });

  it('answers 403 to a Reader and 400 for an unknown slot, changing nothing', async () => {
    const { body } = await createViaApi('rest-rotate-guard');
    const forbidden = await credentialsRoute.POST(
      request(reader, 'POST', '/tokens/rest-rotate-guard/credentials', { name: 'password1' }),
      params({ name: 'rest-rotate-guard' }),
    );
    expect(forbidden.status).toBe(403);
    const bad = await credentialsRoute.POST(
      request(contributor, 'POST', '/tokens/rest-rotate-guard/credentials', { name: 'password3' }),
      params({ name: 'rest-rotate-guard' }),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.details[0].field).toBe('name');
    expect(verifyTokenPassword(await verifier('rest-rotate-guard', 'password1'), body.passwords[0].value)).toBe(true);
  });
});

describe('DELETE /tokens/{name}/credentials/{slot}', () => {
  it('removes the slot and answers with the token; an unknown slot is a 400', async () => {
    await createViaApi('rest-slot');
    const res = await slotRoute.DELETE(
      request(contributor, 'DELETE', '/tokens/rest-slot/credentials/password2'),
      params({ name: 'rest-slot', slot: 'password2' }),
    );
    expect(res.status).toBe(200);
    const token = (await res.json()) as { passwords: { name: string }[] };
    expect(token.passwords.map((p) => p.name)).toEqual(['password1']);
    const bad = await slotRoute.DELETE(
      request(contributor, 'DELETE', '/tokens/rest-slot/credentials/password9'),
      params({ name: 'rest-slot', slot: 'password9' }),
    );
    expect(bad.status).toBe(400);
    const forbidden = await slotRoute.DELETE(
      request(reader, 'DELETE', '/tokens/rest-slot/credentials/password1'),
      params({ name: 'rest-slot', slot: 'password1' }),
    );
    expect(forbidden.status).toBe(403);
  });
});

describe('PATCH and DELETE /tokens/{name}', () => {
  it('map the rules to 409 with their codes, and a Reader to 403', async () => {
    await createViaApi('rest-kiosk');
    await createConnectedRegistry(
      contributor,
      cloud,
      parseInput(createConnectedRegistryInput, {
        name: 'kioskone',
        mode: 'ReadOnly',
        loginServer: 'kiosk.local',
        repositories: ['app'],
        clientTokens: ['rest-kiosk'],
      }),
    );
    const readOnly = await tokenRoute.PATCH(
      request(contributor, 'PATCH', '/tokens/rest-kiosk', { scopeMap: 'pushmap' }),
      params({ name: 'rest-kiosk' }),
    );
    expect(readOnly.status).toBe(409);
    expect(((await readOnly.json()) as ErrorBody).error).toMatchObject({
      code: 'readonly_violation',
      message: expect.stringContaining('kioskone'),
    });

    const inUse = await tokenRoute.DELETE(request(contributor, 'DELETE', '/tokens/rest-kiosk'), params({ name: 'rest-kiosk' }));
    expect(inUse.status).toBe(409);
    expect(((await inUse.json()) as ErrorBody).error.code).toBe('in_use');

    const sync = await tokenRoute.DELETE(
      request(contributor, 'DELETE', '/tokens/kioskone-sync-token'),
      params({ name: 'kioskone-sync-token' }),
    );
    expect(sync.status).toBe(409);
    expect(((await sync.json()) as ErrorBody).error.code).toBe('sync_token');

    const forbidden = await tokenRoute.PATCH(
      request(reader, 'PATCH', '/tokens/rest-kiosk', { status: 'disabled' }),
      params({ name: 'rest-kiosk' }),
    );
    expect(forbidden.status).toBe(403);

    const disabled = await tokenRoute.PATCH(
      request(contributor, 'PATCH', '/tokens/rest-kiosk', { status: 'disabled' }),
      params({ name: 'rest-kiosk' }),
    );
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { status: string }).status).toBe('disabled');
  });

  it('DELETE answers 204 for an unused client token, 403 for a Reader', async () => {
    await createViaApi('rest-doomed');
    expect((await tokenRoute.DELETE(request(reader, 'DELETE', '/tokens/rest-doomed'), params({ name: 'rest-doomed' }))).status).toBe(403);
    const res = await tokenRoute.DELETE(request(contributor, 'DELETE', '/tokens/rest-doomed'), params({ name: 'rest-doomed' }));
    expect(res.status).toBe(204);
    expect((await tokenRoute.GET(request(reader, 'GET', '/tokens/rest-doomed'), params({ name: 'rest-doomed' }))).status).toBe(404);
  });
});

describe('POST /connected-registries/{name}/settings', () => {
  it('answers the connection string under no-store, with a new password that verifies, or a placeholder', async () => {
    await createConnectedRegistry(
      contributor,
      cloud,
      parseInput(createConnectedRegistryInput, { name: 'factorya', loginServer: 'factory.local', repositories: ['app'] }),
    );
    const path = '/connected-registries/factorya/settings';
    const res = await settingsRoute.POST(
      request(contributor, 'POST', path, { parentProtocol: 'http', generatePassword: 'password1' }),
      params({ name: 'factorya' }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { connectionString: string };
    expect(Object.keys(body)).toEqual(['connectionString']);
    const match =
      /^ConnectedRegistryName=factorya;SyncTokenName=factorya-sync-token;SyncTokenPassword=([A-Za-z0-9_-]{43});ParentGatewayEndpoint=contoso\.westus2\.data\.azurecr\.io;ParentEndpointProtocol=https$/.exec(
        body.connectionString,
      );
    expect(match, body.connectionString).not.toBeNull();
    expect(verifyTokenPassword(await verifier('factorya-sync-token', 'password1'), match![1])).toBe(true);

    const placeholder = await settingsRoute.POST(request(reader, 'POST', path, {}), params({ name: 'factorya' }));
    expect(placeholder.status).toBe(200);
    expect(placeholder.headers.get('cache-control')).toBe('no-store');
    expect(((await placeholder.json()) as { connectionString: string }).connectionString).toContain('SyncTokenPassword=<');

    const forbidden = await settingsRoute.POST(
      request(reader, 'POST', path, { generatePassword: 'password2' }),
      params({ name: 'factorya' }),
    );
    expect(forbidden.status).toBe(403);
    expect(await getDb().tokenPassword.count({ where: { token: { name: 'factorya-sync-token' }, slot: 'password2' } })).toBe(0);
  });
});
