// Tokens created with inline permissions (ACR's `az acr token create --repository … --gateway …`),
// expiry as a number of days, and both password slots in one call — through the REST handlers
// against a real database. Every refusal is a specific 4xx that writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import * as credentialsRoute from '@/app/api/v1/registries/[registry]/tokens/[name]/credentials/route';
import * as tokensRoute from '@/app/api/v1/registries/[registry]/tokens/route';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture, rejection } from '@/test/fixtures';
import { callRoute, type ErrorBody } from '@/test/routes';
import { verifyTokenPassword } from './passwords';
import { createTokenInput } from './schemas';
import { createToken } from './service/create-token';

setupTestDatabase();

const cloud = 'northwind';
let contributor: Actor & { bearer: string };
let reader: Actor & { bearer: string };

type Revealed = { name: string; value: string; creationTime: string; expiry: string | null };

/** Calls a route handler of this cloud registry's resources, as the contributor unless `as` is given. */
const call = (handler: unknown, method: string, path: string, body: unknown, params: Record<string, string> = {}, as = contributor) =>
  callRoute<Record<string, unknown> & ErrorBody>(handler, {
    bearer: as.bearer,
    method,
    path: `/registries/${cloud}${path}`,
    body,
    params: { registry: cloud, ...params },
  });
const createViaApi = (body: unknown, as = contributor) => call(tokensRoute.POST, 'POST', '/tokens', body, {}, as);
const credentials = (token: string, body: unknown) =>
  call(credentialsRoute.POST, 'POST', `/tokens/${token}/credentials`, body, { name: token });

/** What a refused request could have written: tokens, scope maps, password slots and audit events. */
async function snapshot() {
  const db = getDb();
  const [tokens, scopeMaps, passwords, events] = await Promise.all([
    db.token.count(),
    db.scopeMap.count(),
    db.tokenPassword.findMany({ orderBy: [{ tokenId: 'asc' }, { slot: 'asc' }] }),
    db.auditEvent.count(),
  ]);
  return { tokens, scopeMaps, passwords: passwords.map((p) => `${p.tokenId}/${p.slot}/${p.createdAt.getTime()}`), events };
}

beforeAll(async () => {
  contributor = await createActorWithBearer('Contributor');
  reader = await createActorWithBearer('Reader');
  await createCloudRegistryFixture(contributor, cloud);
  await createConnectedRegistry(
    contributor,
    cloud,
    parseInput(createConnectedRegistryInput, { name: 'edgeone', loginServer: 'edgeone.local', repositories: ['apps/web'] }),
  );
  await createScopeMap(contributor, cloud, { name: 'kiosk-scope-map', actions: ['repositories/apps/web/content/read'] });
  await createToken(contributor, cloud, parseInput(createTokenInput, { name: 'kiosk-old', scopeMap: 'kiosk-scope-map' }));
});

describe('POST R/tokens with inline permissions', () => {
  it('creates <token>-scope-map with those actions in the same transaction, and the token with both passwords', async () => {
    const res = await createViaApi({
      name: 'builder-01',
      repositories: [
        { name: 'apps/web', actions: ['content/read', 'content/write'] },
        { name: 'tools/*', actions: ['metadata/read'] },
      ],
      gateway: [{ registry: 'edgeone', actions: ['config/read'] }],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ name: 'builder-01', scopeMap: 'builder-01-scope-map', kind: 'client', status: 'enabled' });
    const passwords = res.body.passwords as Revealed[];
    expect(passwords.map((p) => p.name)).toEqual(['password1', 'password2']);
    const map = await getDb().scopeMap.findFirstOrThrow({
      where: { name: 'builder-01-scope-map' },
      include: { tokens: { select: { name: true } } },
    });
    expect(map.actions).toEqual([
      'gateway/edgeone/config/read',
      'repositories/apps/web/content/read',
      'repositories/apps/web/content/write',
      'repositories/tools/*/metadata/read',
    ]);
    expect(map.tokens.map((t) => t.name)).toEqual(['builder-01']);
    const events = await getDb().auditEvent.findMany({
      where: { OR: [{ targetName: 'builder-01' }, { targetName: 'builder-01-scope-map' }] },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['scopeMap.create', 'token.create']);
    expect(events[0].details).toMatchObject({ forToken: 'builder-01', actions: map.actions });
    expect(events[1].details).toMatchObject({
      scopeMap: 'builder-01-scope-map',
      scopeMapCreated: true,
      passwords: ['password1', 'password2'],
    });
  });

  it('a 50-character token name gets a 60-character scope map', async () => {
    const name = `t${'x'.repeat(49)}`;
    const res = await createViaApi({ name, repositories: [{ name: 'apps/web', actions: ['content/read'] }], noPasswords: true });
    expect(res.status).toBe(201);
    expect(res.body.scopeMap).toBe(`${name}-scope-map`);
  });

  it('409 naming the holder when <token>-scope-map is a registry’s sync scope map, and nothing is written', async () => {
    const before = await snapshot();
    const res = await createViaApi({ name: 'edgeone', repositories: [{ name: 'apps/web', actions: ['content/read'] }] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `A scope map named edgeone-scope-map exists already in ${cloud}: it is the sync scope map of connected registry edgeone.`,
    );
    expect(res.body.error.details[0].field).toBe('name');
    expect(await snapshot()).toEqual(before);
  });

  it('409 naming the tokens that use a taken map of the user’s own, and nothing is written', async () => {
    const before = await snapshot();
    const res = await createViaApi({ name: 'kiosk', repositories: [{ name: 'apps/web', actions: ['content/read'] }] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/kiosk-scope-map exists already in northwind: token kiosk-old uses it\.$/);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [
      'scopeMap and permissions both',
      { scopeMap: '_repositories_pull', repositories: [{ name: 'a', actions: ['content/read'] }] },
      'scopeMap',
    ],
    ['neither scopeMap nor permissions', {}, 'scopeMap'],
    ['empty permission lists', { repositories: [], gateway: [] }, 'repositories'],
    ['an unknown repository action', { repositories: [{ name: 'a', actions: ['content/pull'] }] }, 'repositories.0.actions.0'],
    ['a repository without actions', { repositories: [{ name: 'a', actions: [] }] }, 'repositories.0.actions'],
    ['a bad repository name', { repositories: [{ name: 'Apps/Web', actions: ['content/read'] }] }, 'repositories.0.name'],
    ['a gateway action on a repository', { repositories: [{ name: 'a', actions: ['config/read'] }] }, 'repositories.0.actions.0'],
    ['a bad registry name', { gateway: [{ registry: 'edge-one', actions: ['config/read'] }] }, 'gateway.0.registry'],
    ['an unknown key', { repositories: [{ name: 'a', actions: ['content/read'], tag: 'x' }] }, 'repositories.0'],
    [
      'more than 500 repository permissions',
      {
        repositories: Array.from({ length: 101 }, (_, i) => ({
          name: `r${i}`,
          actions: ['content/read', 'content/write', 'content/delete', 'metadata/read', 'metadata/write'],
        })),
      },
      'repositories',
    ],
  ])('400 for %s, nothing written', async (_label, fields, field) => {
    const before = await snapshot();
    const res = await createViaApi({ name: 'refused-token', ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d) => d.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('403 for a Reader, nothing written', async () => {
    const before = await snapshot();
    expect((await createViaApi({ name: 'reader-token', repositories: [{ name: 'a', actions: ['content/read'] }] }, reader)).status).toBe(
      403,
    );
    expect(await snapshot()).toEqual(before);
  });

  itOnPostgresServer('two concurrent creations of one name: one 201, one 409, one scope map', async () => {
    const body = { name: 'raced-inline', repositories: [{ name: 'apps/web', actions: ['content/read'] }] };
    const results = await Promise.all([createViaApi(body), createViaApi(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await getDb().scopeMap.count({ where: { name: 'raced-inline-scope-map' } })).toBe(1);
    expect(await getDb().token.count({ where: { name: 'raced-inline' } })).toBe(1);
  });
});

describe('the portal’s "new scope map" is the same use case', () => {
  it('creates both in one transaction, or neither: a taken token name leaves no scope map behind', async () => {
    const input = parseInput(createTokenInput, {
      name: 'kiosk-old',
      newScopeMap: { name: 'fresh-map', actions: ['repositories/apps/web/content/read'] },
    });
    const before = await snapshot();
    const error = await rejection(createToken(contributor, cloud, input));
    expect(error.status).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect(await getDb().scopeMap.count({ where: { name: 'fresh-map' } })).toBe(0);
  });

  it('a taken new scope-map name is refused on the newScopeMap.name field, with its holder', async () => {
    const input = parseInput(createTokenInput, {
      name: 'kiosk-new',
      newScopeMap: { name: 'kiosk-scope-map', actions: ['repositories/a/content/read'] },
    });
    const error = await rejection(createToken(contributor, cloud, input));
    expect(error.status).toBe(409);
    expect(error.details).toEqual([{ field: 'newScopeMap.name', message: 'This name is taken: token kiosk-old uses it.' }]);
  });
});

describe('expiresInDays', () => {
  it('gives both passwords an expiry that many days from now', async () => {
    const before = Date.now();
    const res = await createViaApi({ name: 'monthly-token', scopeMap: '_repositories_pull', expiresInDays: 30 });
    expect(res.status).toBe(201);
    for (const p of res.body.passwords as Revealed[]) {
      const expiry = new Date(p.expiry!).getTime();
      expect(expiry).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    }
  });

  it.each([
    [{ expiresInDays: 0 }, 'expiresInDays'],
    [{ expiresInDays: 1.5 }, 'expiresInDays'],
    [{ expiresInDays: 3651 }, 'expiresInDays'],
    [{ expiresInDays: '30' }, 'expiresInDays'],
    [{ expiresInDays: 30, expiry: '2099-01-01T00:00:00Z' }, 'expiresInDays'],
    [{ expiresInDays: 30, noPasswords: true }, 'expiry'],
  ])('400 for %j, nothing written', async (fields, field) => {
    const before = await snapshot();
    const res = await createViaApi({ name: 'bad-expiry', scopeMap: '_repositories_pull', ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST R/tokens/{name}/credentials with names', () => {
  it('regenerates both slots in one call, answers { passwords } once (no-store), and audits each slot', async () => {
    await createToken(
      contributor,
      cloud,
      parseInput(createTokenInput, { name: 'both-slots', scopeMap: '_repositories_pull', noPasswords: true }),
    );
    const res = await credentials('both-slots', { names: ['password2', 'password1'], expiresInDays: 7 });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const passwords = res.body.passwords as Revealed[];
    expect(passwords.map((p) => p.name)).toEqual(['password1', 'password2']);
    const rows = await getDb().tokenPassword.findMany({
      where: { token: { name: 'both-slots' } },
      orderBy: { slot: 'asc' },
      omit: { verifier: false },
    });
    expect(rows.map((r) => verifyTokenPassword(r.verifier, passwords[rows.indexOf(r)].value))).toEqual([true, true]);
    for (const r of rows) expect(r.expiry!.getTime() - r.createdAt.getTime()).toBeCloseTo(7 * 86_400_000, -4);
    const events = await getDb().auditEvent.findMany({
      where: { targetName: 'both-slots', action: 'token.password.regenerate' },
      orderBy: { id: 'asc' },
    });
    expect(events.map((e) => (e.details as { slot: string }).slot)).toEqual(['password1', 'password2']);
  });

  it('name alone still answers the one password', async () => {
    const res = await credentials('both-slots', { name: 'password2' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['creationTime', 'expiry', 'name', 'value']);
  });

  it.each([
    [{ names: ['password1', 'password1'] }, 'names'],
    [{ names: [] }, 'names'],
    [{ names: ['password3'] }, 'names.0'],
    [{ name: 'password1', names: ['password2'] }, 'name'],
    [{}, 'name'],
    [{ names: ['password1'], expiresInDays: 5, expiry: '2099-01-01T00:00:00Z' }, 'expiresInDays'],
  ])('400 for %j, nothing written', async (body, field) => {
    const before = await snapshot();
    const res = await credentials('both-slots', body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d) => d.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});
