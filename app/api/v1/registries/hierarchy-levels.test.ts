// GET R/hierarchy/children and R/hierarchy/search as Next.js calls them: one level and a search
// answered as JSON, and every malformed or unknown input a 400 or a 404 in the error format.
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestDatabase } from '@/test/db';
import { createActorWithBearer } from '@/test/fixtures';
import { callRoute, type ErrorBody } from '@/test/routes';
import * as registriesRoute from './route';
import * as connectedRegistriesRoute from './[registry]/connected-registries/route';
import * as childrenRoute from './[registry]/hierarchy/children/route';
import * as searchRoute from './[registry]/hierarchy/search/route';

setupTestDatabase();

let bearer: string;
const cloud = 'levels';
const get = (handler: unknown, path: string, registry = cloud) =>
  callRoute(handler, { bearer, path: `/registries/${registry}${path}`, params: { registry } });

beforeAll(async () => {
  bearer = (await createActorWithBearer('Reader')).bearer;
  const owner = (await createActorWithBearer('Owner')).bearer;
  const asOwner = (handler: unknown, path: string, body: unknown, params: Record<string, string>) =>
    callRoute(handler, { bearer: owner, method: 'POST', path: `/registries${path}`, body, params });
  expect((await asOwner(registriesRoute.POST, '', { name: cloud, loginServer: 'levels.azurecr.io', region: 'westus2' }, {})).status).toBe(
    201,
  );
  for (const [name, parent] of [
    ['storeOne', null],
    ['tillOne', 'storeOne'],
  ] as const) {
    const res = await asOwner(
      connectedRegistriesRoute.POST,
      `/${cloud}/connected-registries`,
      { name, parent, loginServer: `${name}.local`, repositories: ['app'] },
      { registry: cloud },
    );
    expect(res.status).toBe(201);
  }
});

describe('GET R/hierarchy/children', () => {
  it('answers the top level with the counts, and a registry’s children, not to be cached', async () => {
    const top = await get(childrenRoute.GET, '/hierarchy/children');
    expect(top.status).toBe(200);
    expect(top.headers.get('cache-control')).toBe('no-store');
    expect(top.body).toMatchObject({ parent: null, total: 1, next: null, items: [{ name: 'storeOne', childCount: 1 }] });
    expect(top.body.counts).toMatchObject({ total: 2 });
    const below = await get(childrenRoute.GET, '/hierarchy/children?parent=STOREONE&limit=10');
    expect(below.body).toMatchObject({ parent: 'storeOne', total: 1, items: [{ name: 'tillOne', parent: 'storeOne', childCount: 0 }] });
  });

  it('answers bad input with a 400 and an unknown parent or cloud registry with a 404', async () => {
    for (const query of ['limit=0', 'limit=abc', 'limit=5000', 'cursor=not-a-cursor', `parent=${'x'.repeat(60)}`]) {
      const res = await get(childrenRoute.GET, `/hierarchy/children?${query}`);
      expect(res.status, query).toBe(400);
      expect((res.body as unknown as ErrorBody).error.code, query).toBe('invalid_request');
    }
    expect((await get(childrenRoute.GET, '/hierarchy/children?parent=nosuchone')).status).toBe(404);
    expect((await get(childrenRoute.GET, '/hierarchy/children', 'nosuchcloud')).status).toBe(404);
  });
});

describe('GET R/hierarchy/search', () => {
  it('answers the matches with their paths and the count', async () => {
    const res = await get(searchRoute.GET, '/hierarchy/search?q=TILL');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ query: 'till', total: 1, totalCapped: false, matches: ['tillOne'] });
    expect((res.body.nodes as { name: string }[]).map((n) => n.name)).toEqual(['storeOne', 'tillOne']);
  });

  it('answers a missing, blank or too long text with a 400, and an unknown cloud registry with a 404', async () => {
    for (const query of ['', 'q=', 'q=%20%20', `q=${'x'.repeat(51)}`, 'q=a&limit=0', 'q=a&limit=101']) {
      const res = await get(searchRoute.GET, `/hierarchy/search?${query}`);
      expect(res.status, query).toBe(400);
    }
    expect((await get(searchRoute.GET, '/hierarchy/search?q=a', 'nosuchcloud')).status).toBe(404);
  });
});
