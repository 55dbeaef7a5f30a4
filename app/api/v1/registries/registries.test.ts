// The /api/v1/registries REST layer against a real database: the route handlers are called
// as Next.js calls them, with a bearer access token, and their JSON is checked.
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActorWithBearer } from '@/test/fixtures';
import { callRoute, type ErrorBody } from '@/test/routes';
import * as registriesRoute from './route';
import * as registryRoute from './[registry]/route';
import * as connectedRegistriesRoute from './[registry]/connected-registries/route';
import * as connectedRegistryRoute from './[registry]/connected-registries/[name]/route';
import * as clientTokensRoute from './[registry]/connected-registries/[name]/client-tokens/route';
import * as deactivateRoute from './[registry]/connected-registries/[name]/deactivate/route';
import * as permissionsRoute from './[registry]/connected-registries/[name]/permissions/route';
import * as scopeMapsRoute from './[registry]/scope-maps/route';
import * as scopeMapRoute from './[registry]/scope-maps/[name]/route';
import * as tokenRoute from './[registry]/tokens/[name]/route';

setupTestDatabase();

let contributorToken: string;
let readerToken: string;

type Call = { method?: string; token?: string; body?: unknown; params?: Record<string, string> };

/** Calls a route handler the way Next.js does, as the contributor unless another token is given. */
const call = (handler: unknown, path: string, { method = 'GET', token = contributorToken, body, params = {} }: Call = {}) =>
  callRoute(handler, { bearer: token, method, path: `/registries${path}`, body, params });

const errorOf = (body: unknown) => (body as ErrorBody).error;

const cloud = 'contoso';
const createEdge = (fields: Record<string, unknown>, token = contributorToken) =>
  call(connectedRegistriesRoute.POST, `/${cloud}/connected-registries`, {
    method: 'POST',
    token,
    body: fields,
    params: { registry: cloud },
  });
const crPath = (name: string) => `/${cloud}/connected-registries/${name}`;

beforeAll(async () => {
  contributorToken = (await createActorWithBearer('Contributor')).bearer;
  readerToken = (await createActorWithBearer('Reader')).bearer;
  const res = await call(registriesRoute.POST, '', {
    method: 'POST',
    body: { name: cloud, loginServer: 'contoso.azurecr.io', region: 'westus2' },
  });
  expect(res.status).toBe(201);
});

describe('cloud registries', () => {
  it('POST answered 201 with the derived data endpoint; GET lists and shows it', async () => {
    const list = await call(registriesRoute.GET, '');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ items: [{ name: cloud, dataEndpoint: 'contoso.westus2.data.azurecr.io' }], next: null });
    const one = await call(registryRoute.GET, `/${cloud}`, { params: { registry: cloud } });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: cloud, loginServer: 'contoso.azurecr.io', region: 'westus2' });
  });

  it('GET scope-maps lists the three system scope maps', async () => {
    const res = await call(scopeMapsRoute.GET, `/${cloud}/scope-maps?kind=system`, { params: { registry: cloud } });
    expect(res.status).toBe(200);
    expect((res.body!.items as { name: string; system: boolean }[]).map((m) => [m.name, m.system])).toEqual([
      ['_repositories_admin', true],
      ['_repositories_pull', true],
      ['_repositories_push', true],
    ]);
  });

  it('POST of a duplicate login server is a 409 login_server_taken naming the field and the holder', async () => {
    const res = await call(registriesRoute.POST, '', {
      method: 'POST',
      body: { name: 'another', loginServer: 'contoso.azurecr.io', region: 'westus2' },
    });
    expect(res.status).toBe(409);
    expect(errorOf(res.body).code).toBe('login_server_taken');
    expect(errorOf(res.body).details).toEqual([{ field: 'loginServer', message: `Taken by cloud registry ${cloud}.` }]);
  });

  it('DELETE of a cloud registry with connected registries is a 409', async () => {
    await createEdge({ name: 'keepsCloud', loginServer: 'keeps.local', repositories: ['app'] });
    const res = await call(registryRoute.DELETE, `/${cloud}`, { method: 'DELETE', params: { registry: cloud } });
    expect(res.status).toBe(409);
    expect(errorOf(res.body).code).toBe('conflict');
  });
});

describe('connected registries', () => {
  it('POST answers 201 with the resource in the domain’s property names', async () => {
    const res = await createEdge({
      name: 'edgeOne',
      loginServer: 'Edge01.Contoso.Local:8080',
      repositories: ['library/hello-world'],
      syncSchedule: '0 2 * * *',
      syncWindow: 'PT3H',
      notifications: ['*:*'],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = res.body!;
    for (const key of [
      'mode',
      'parent',
      'loginServer',
      'repositories',
      'clientTokens',
      'syncToken',
      'syncScopeMap',
      'syncSchedule',
      'syncWindow',
      'syncMessageTtl',
      'logLevel',
      'notifications',
      'activationStatus',
      'connectionState',
      'lastActivityTime',
      'lastSyncTime',
      'disabled',
    ]) {
      expect(body, key).toHaveProperty(key);
    }
    expect(body).toMatchObject({
      name: 'edgeOne',
      mode: 'ReadWrite',
      parent: null,
      loginServer: 'edge01.contoso.local:8080',
      repositories: ['library/hello-world'],
      clientTokens: [],
      syncToken: 'edgeOne-sync-token',
      syncScopeMap: 'edgeOne-scope-map',
      syncSchedule: '0 2 * * *',
      syncWindow: 'PT3H',
      syncMessageTtl: 'P2D',
      logLevel: 'Information',
      notifications: ['*:*'],
      activationStatus: 'Inactive',
      connectionState: 'Offline',
      lastActivityTime: null,
      lastSyncTime: null,
      disabled: false,
    });

    const got = await call(connectedRegistryRoute.GET, crPath('edgeone'), { params: { registry: cloud, name: 'edgeone' } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ name: 'edgeOne', syncScopeMap: 'edgeOne-scope-map' });
  });

  it('POST of an invalid body answers 400 with details naming each field', async () => {
    const res = await createEdge({ name: '1bad', loginServer: 'edge.local', repositories: ['Bad/Name'], syncMessageTtl: 'P100D' });
    expect(res.status).toBe(400);
    const error = errorOf(res.body);
    expect(error.code).toBe('invalid_request');
    expect(error.details.map((d) => d.field).sort()).toEqual(['name', 'repositories.0', 'syncMessageTtl']);
  });

  it('POST of a body that is not JSON answers 400', async () => {
    const res = await createEdge('{not json' as unknown as Record<string, unknown>);
    expect(res.status).toBe(400);
    expect(errorOf(res.body).message).toBe('The request body is not valid JSON.');
  });

  it('POST with an unknown field answers 400', async () => {
    const res = await createEdge({ name: 'extraField', loginServer: 'edge.local', repositories: ['app'], color: 'green' });
    expect(res.status).toBe(400);
  });

  it('POST of a missing sync window answers 400 naming syncWindow', async () => {
    const res = await createEdge({ name: 'noWindow', loginServer: 'edge.local', repositories: ['app'], syncSchedule: '0 2 * * *' });
    expect(res.status).toBe(400);
    expect(errorOf(res.body).details).toEqual([
      { field: 'syncWindow', message: 'A sync window is required when the schedule is not continuous (for example PT3H).' },
    ]);
  });

  it('POST of a ReadWrite child under a ReadOnly parent answers 409 readonly_violation and creates nothing', async () => {
    expect((await createEdge({ name: 'mirrorRoot', mode: 'ReadOnly', loginServer: 'mirror.local', repositories: ['app'] })).status).toBe(
      201,
    );
    const before = await getDb().connectedRegistry.count();
    const res = await createEdge({ name: 'rwUnderRo', parent: 'mirrorRoot', loginServer: 'rw.local', repositories: ['app'] });
    expect(res.status).toBe(409);
    expect(errorOf(res.body)).toMatchObject({
      code: 'readonly_violation',
      message: 'A ReadOnly registry can only have ReadOnly children: choose ReadOnly, or another parent.',
    });
    expect(await getDb().connectedRegistry.count()).toBe(before);
  });

  it('POST with a taken name answers 409', async () => {
    const res = await createEdge({ name: 'EDGEONE', loginServer: 'dup.local', repositories: ['app'] });
    expect(res.status).toBe(409);
    expect(errorOf(res.body).details).toEqual([{ field: 'name', message: 'This name is taken in this hierarchy.' }]);
  });

  itOnPostgresServer('two concurrent POSTs of one name: one 201 and one 409', async () => {
    const [first, second] = await Promise.all([
      createEdge({ name: 'racingOne', loginServer: 'race1.local', repositories: ['app'] }),
      createEdge({ name: 'racingOne', loginServer: 'race2.local', repositories: ['app'] }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect(await getDb().connectedRegistry.count({ where: { name: 'racingOne' } })).toBe(1);
  });

  it('a Reader’s token is refused with 403 on POST but reads with 200', async () => {
    const post = await createEdge({ name: 'readersOwn', loginServer: 'reader.local', repositories: ['app'] }, readerToken);
    expect(post.status).toBe(403);
    expect(errorOf(post.body).code).toBe('forbidden');
    const list = await call(connectedRegistriesRoute.GET, `/${cloud}/connected-registries`, {
      token: readerToken,
      params: { registry: cloud },
    });
    expect(list.status).toBe(200);
    expect((list.body!.items as { name: string }[]).map((r) => r.name)).toContain('edgeOne');
    expect(await getDb().connectedRegistry.count({ where: { name: 'readersOwn' } })).toBe(0);

    for (const [handler, path, method, body] of [
      [connectedRegistryRoute.PATCH, crPath('edgeOne'), 'PATCH', { logLevel: 'Debug' }],
      [connectedRegistryRoute.DELETE, crPath('edgeOne'), 'DELETE', undefined],
      // a valid body: the use case checks the role, after the adapter has read the input
      [permissionsRoute.POST, `${crPath('edgeOne')}/permissions`, 'POST', { add: ['readers-repo'] }],
      [deactivateRoute.POST, `${crPath('edgeOne')}/deactivate`, 'POST', undefined],
    ] as const) {
      const res = await call(handler, path, { method, token: readerToken, body, params: { registry: cloud, name: 'edgeOne' } });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('an invalid or missing access token answers 401', async () => {
    const res = await call(connectedRegistriesRoute.GET, `/${cloud}/connected-registries`, {
      token: 'cnp_not-a-real-token',
      params: { registry: cloud },
    });
    expect(res.status).toBe(401);
  });

  it('GET scope-maps/{name} shows the sync scope map’s actions', async () => {
    const res = await call(scopeMapRoute.GET, `/${cloud}/scope-maps/edgeOne-scope-map`, {
      params: { registry: cloud, name: 'edgeOne-scope-map' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'edgeOne-scope-map', system: false, syncRegistry: 'edgeOne', tokenCount: 1 });
    expect(res.body!.actions).toEqual(
      [
        'gateway/edgeone/config/read',
        'gateway/edgeone/config/write',
        'gateway/edgeone/message/read',
        'gateway/edgeone/message/write',
        ...['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].map(
          (a) => `repositories/library/hello-world/${a}`,
        ),
      ].sort(),
    );
  });

  it('GET tokens/{name} never contains a verifier or a password value', async () => {
    const token = await getDb().token.findFirstOrThrow({ where: { name: 'edgeOne-sync-token' }, select: { id: true } });
    await getDb().tokenPassword.update({
      where: { tokenId_slot: { tokenId: token.id, slot: 'password1' } },
      data: { verifier: 'salt$0123456789abcdef-verifier' },
    });

    const res = await call(tokenRoute.GET, `/${cloud}/tokens/edgeOne-sync-token`, {
      params: { registry: cloud, name: 'edgeOne-sync-token' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'edgeOne-sync-token',
      kind: 'sync',
      syncRegistry: 'edgeOne',
      scopeMap: 'edgeOne-scope-map',
      status: 'enabled',
    });
    expect((res.body!.passwords as { name: string }[]).map((p) => p.name)).toEqual(['password1']);

    const keys: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          keys.push(k);
          walk(child);
        }
      }
    };
    walk(res.body);
    expect(keys).not.toContain('verifier');
    expect(keys).not.toContain('value');
    expect(keys).not.toContain('password');
    expect(JSON.stringify(res.body)).not.toContain('0123456789abcdef-verifier');
  });

  it('POST permissions adds to the registry and its parent, and removes from its descendants', async () => {
    expect((await createEdge({ name: 'parentOne', loginServer: 'p1.local', repositories: ['p/app'] })).status).toBe(201);
    expect((await createEdge({ name: 'childOne', parent: 'parentOne', loginServer: 'c1.local', repositories: ['c/app'] })).status).toBe(
      201,
    );

    const add = await call(permissionsRoute.POST, `${crPath('childOne')}/permissions`, {
      method: 'POST',
      body: { add: ['c/extra'] },
      params: { registry: cloud, name: 'childOne' },
    });
    expect(add.status).toBe(200);
    expect(add.body!.repositories).toEqual(['c/app', 'c/extra']);
    const parent = await call(connectedRegistryRoute.GET, crPath('parentOne'), {
      params: { registry: cloud, name: 'parentOne' },
    });
    expect(parent.body!.repositories).toEqual(['c/app', 'c/extra', 'p/app']);

    const remove = await call(permissionsRoute.POST, `${crPath('parentOne')}/permissions`, {
      method: 'POST',
      body: { remove: ['c/extra'] },
      params: { registry: cloud, name: 'parentOne' },
    });
    expect(remove.status).toBe(200);
    expect(remove.body!.repositories).toEqual(['c/app', 'p/app']);
    const child = await call(connectedRegistryRoute.GET, crPath('childOne'), { params: { registry: cloud, name: 'childOne' } });
    expect(child.body!.repositories).toEqual(['c/app']);

    const both = await call(permissionsRoute.POST, `${crPath('childOne')}/permissions`, {
      method: 'POST',
      body: { add: ['x'], remove: ['x'] },
      params: { registry: cloud, name: 'childOne' },
    });
    expect(both.status).toBe(400);
    expect(errorOf(both.body).details[0].field).toBe('remove');
  });

  it('PATCH changes sync settings and client tokens; the client-tokens endpoint lists them', async () => {
    const cloudRow = await getDb().cloudRegistry.findUniqueOrThrow({ where: { name: cloud } });
    const pull = await getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistryId: cloudRow.id, name: '_repositories_pull' } });
    await getDb().token.create({ data: { cloudRegistryId: cloudRow.id, name: 'factory-pull', scopeMapId: pull.id } });

    const res = await call(connectedRegistryRoute.PATCH, crPath('edgeOne'), {
      method: 'PATCH',
      body: { addClientTokens: ['factory-pull'], logLevel: 'Debug', syncMessageTtl: 'P7D' },
      params: { registry: cloud, name: 'edgeOne' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientTokens: ['factory-pull'], logLevel: 'Debug', syncMessageTtl: 'P7D' });

    const tokens = await call(clientTokensRoute.GET, `${crPath('edgeOne')}/client-tokens`, {
      params: { registry: cloud, name: 'edgeOne' },
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ items: [{ name: 'factory-pull', scopeMap: '_repositories_pull', status: 'enabled' }], next: null });

    const overlap = await call(connectedRegistryRoute.PATCH, crPath('edgeOne'), {
      method: 'PATCH',
      body: { addClientTokens: ['factory-pull'], removeClientTokens: ['factory-pull'] },
      params: { registry: cloud, name: 'edgeOne' },
    });
    expect(overlap.status).toBe(400);
    expect(errorOf(overlap.body).details[0].field).toBe('removeClientTokens');
  });

  it('POST deactivate resets activation to Inactive', async () => {
    await getDb().connectedRegistry.updateMany({ where: { name: 'edgeOne' }, data: { activationStatus: 'Active' } });
    const res = await call(deactivateRoute.POST, `${crPath('edgeOne')}/deactivate`, {
      method: 'POST',
      params: { registry: cloud, name: 'edgeOne' },
    });
    expect(res.status).toBe(200);
    expect(res.body!.activationStatus).toBe('Inactive');
  });

  it('GET with parent and children=direct filters the list', async () => {
    expect((await createEdge({ name: 'grandChild', parent: 'childOne', loginServer: 'g1.local', repositories: ['g/app'] })).status).toBe(
      201,
    );
    const names = async (query: string) => {
      const res = await call(connectedRegistriesRoute.GET, `/${cloud}/connected-registries?${query}`, {
        params: { registry: cloud },
      });
      expect(res.status).toBe(200);
      return (res.body!.items as { name: string }[]).map((r) => r.name);
    };
    expect(await names('parent=parentOne')).toEqual(['childOne', 'grandChild']);
    expect(await names('parent=parentOne&children=direct')).toEqual(['childOne']);
    expect(await names('q=child')).toEqual(['childOne', 'grandChild']);
    // a subtree's total is its size (not counted again), and counted when another filter narrows it
    const total = async (query: string) =>
      (await call(connectedRegistriesRoute.GET, `/${cloud}/connected-registries?${query}`, { params: { registry: cloud } })).body!.total;
    expect(await total('parent=parentOne')).toBe(2);
    expect(await total('parent=parentOne&limit=1')).toBe(2);
    expect(await total('parent=parentOne&q=grand')).toBe(1);
    expect(await total('parent=parentOne&mode=ReadOnly')).toBe(0);
    const badQuery = await call(connectedRegistriesRoute.GET, `/${cloud}/connected-registries?children=some`, {
      params: { registry: cloud },
    });
    expect(badQuery.status).toBe(400);
  });

  it('DELETE of a registry with children answers 409; DELETE of the leaf answers 204', async () => {
    const refused = await call(connectedRegistryRoute.DELETE, crPath('childOne'), {
      method: 'DELETE',
      params: { registry: cloud, name: 'childOne' },
    });
    expect(refused.status).toBe(409);
    expect(errorOf(refused.body).message).toBe('childOne still has 1 connected registry under it; delete it first.');

    const leaf = await call(connectedRegistryRoute.DELETE, crPath('grandChild'), {
      method: 'DELETE',
      params: { registry: cloud, name: 'grandChild' },
    });
    expect(leaf.status).toBe(204);
    expect(leaf.body).toBeNull();
    const gone = await call(scopeMapRoute.GET, `/${cloud}/scope-maps/grandChild-scope-map`, {
      params: { registry: cloud, name: 'grandChild-scope-map' },
    });
    expect(gone.status).toBe(404);
    const parent = await call(scopeMapRoute.GET, `/${cloud}/scope-maps/childOne-scope-map`, {
      params: { registry: cloud, name: 'childOne-scope-map' },
    });
    expect((parent.body!.actions as string[]).some((a) => a.startsWith('gateway/grandchild/') || a.includes('/g/app/'))).toBe(false);
  });

  it('an unknown registry or connected registry answers 404', async () => {
    const cases = [
      await call(registryRoute.GET, '/nosuchcloud', { params: { registry: 'nosuchcloud' } }),
      await call(connectedRegistriesRoute.GET, '/nosuchcloud/connected-registries', { params: { registry: 'nosuchcloud' } }),
      await call(connectedRegistryRoute.GET, crPath('nosuchedge'), { params: { registry: cloud, name: 'nosuchedge' } }),
      await call(connectedRegistryRoute.DELETE, crPath('nosuchedge'), {
        method: 'DELETE',
        params: { registry: cloud, name: 'nosuchedge' },
      }),
      await call(deactivateRoute.POST, `${crPath('nosuchedge')}/deactivate`, {
        method: 'POST',
        params: { registry: cloud, name: 'nosuchedge' },
      }),
      await call(clientTokensRoute.GET, `${crPath('nosuchedge')}/client-tokens`, {
        params: { registry: cloud, name: 'nosuchedge' },
      }),
      await call(tokenRoute.GET, `/${cloud}/tokens/nosuchtoken`, { params: { registry: cloud, name: 'nosuchtoken' } }),
    ];
    for (const res of cases) {
      expect(res.status).toBe(404);
      expect(errorOf(res.body).code).toBe('not_found');
    }
  });

  it('POST with an unknown parent answers 400 naming the parent field', async () => {
    const res = await createEdge({ name: 'lostChild', parent: 'nosuchparent', loginServer: 'lost.local', repositories: ['app'] });
    expect(res.status).toBe(400);
    expect(errorOf(res.body).details).toEqual([
      { field: 'parent', message: 'There is no connected registry named nosuchparent in contoso.' },
    ]);
  });
});
