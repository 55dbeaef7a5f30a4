// GET CR/permissions: the repositories and actions a registry's sync token holds, and where each
// came from — its own repositories, or carried for a descendant.
import { beforeAll, describe, expect, it } from 'vitest';
import * as connectedRegistriesRoute from '@/app/api/v1/registries/[registry]/connected-registries/route';
import * as permissionsRoute from '@/app/api/v1/registries/[registry]/connected-registries/[name]/permissions/route';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer, createCloudRegistryFixture } from '@/test/fixtures';
import { callRoute } from '@/test/routes';

setupTestDatabase();

let bearer = '';
let readerBearer = '';
let cloud = '';
const rw = ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'];
const ro = ['content/read', 'metadata/read'];
const gatewayActions = ['config/read', 'config/write', 'message/read', 'message/write'];

//   depotaa (ReadWrite: base, shared) → shelfbb (ReadOnly: shared, extra)
beforeAll(async () => {
  const contributor = await createActorWithBearer('Contributor');
  bearer = contributor.bearer;
  readerBearer = (await createActorWithBearer('Reader')).bearer;
  cloud = await createCloudRegistryFixture(contributor);
  for (const body of [
    { name: 'depotaa', loginServer: 'depotaa.local', repositories: ['base', 'shared'] },
    { name: 'shelfbb', parent: 'depotaa', mode: 'ReadOnly', loginServer: 'shelfbb.local', repositories: ['shared', 'extra'] },
  ]) {
    const res = await callRoute(connectedRegistriesRoute.POST, {
      bearer,
      method: 'POST',
      path: `/registries/${cloud}/connected-registries`,
      params: { registry: cloud },
      body,
    });
    expect(res.status).toBe(201);
  }
});

const get = (name: string, as = readerBearer) =>
  callRoute<Record<string, unknown>>(permissionsRoute.GET, {
    bearer: as,
    path: `/registries/${cloud}/connected-registries/${name}/permissions`,
    params: { registry: cloud, name },
  });

describe('GET …/permissions', () => {
  it('lists each repository with its actions and where they came from: own, or carried for a descendant', async () => {
    const res = await get('depotaa');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      registry: 'depotaa',
      syncToken: 'depotaa-sync-token',
      syncScopeMap: 'depotaa-scope-map',
      repositories: [
        { name: 'base', actions: rw, from: [{ registry: 'depotaa', kind: 'own', actions: rw }] },
        { name: 'extra', actions: ro, from: [{ registry: 'shelfbb', kind: 'descendant', actions: ro }] },
        {
          name: 'shared',
          actions: rw,
          from: [
            { registry: 'depotaa', kind: 'own', actions: rw },
            { registry: 'shelfbb', kind: 'descendant', actions: ro },
          ],
        },
      ],
      gateway: [
        { registry: 'depotaa', kind: 'own', actions: gatewayActions },
        { registry: 'shelfbb', kind: 'descendant', actions: gatewayActions },
      ],
    });
  });

  it('a leaf holds only its own', async () => {
    const res = await get('shelfbb');
    expect(res.body).toMatchObject({
      repositories: [
        { name: 'extra', actions: ro, from: [{ registry: 'shelfbb', kind: 'own', actions: ro }] },
        { name: 'shared', actions: ro, from: [{ registry: 'shelfbb', kind: 'own', actions: ro }] },
      ],
      gateway: [{ registry: 'shelfbb', kind: 'own', actions: gatewayActions }],
    });
  });

  it('answers 404 for an unknown registry', async () => {
    const res = await get('nosuchone');
    expect(res.status).toBe(404);
    expect((res.body as { error: { code: string } }).error.code).toBe('not_found');
  });
});
