// The sorted lists against a real database: for every sort key and order, walking the pages with
// `next` visits each row once in the expected order (ties broken by name, never-set times first
// ascending and last descending), walking back with `prev` gives the same pages, the count stops
// at its cap, and a cursor of another sort is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ValidationError, parseInput } from '@/lib/errors';
import { listConnectedRegistries } from '@/lib/registries/queries';
import { createConnectedRegistryInput, listConnectedRegistriesQuery } from '@/lib/registries/schemas';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { listScopeMaps } from '@/lib/scope-maps/queries';
import { listScopeMapsQuery } from '@/lib/scope-maps/schemas';
import { createScopeMap } from '@/lib/scope-maps/service';
import { listTokens } from '@/lib/tokens/queries';
import { createTokenInput, listTokensQuery } from '@/lib/tokens/schemas';
import { createToken } from '@/lib/tokens/service/create-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { COUNT_CAP, sortPlan, sortedPage, type SortedPage } from './keyset';

setupTestDatabase();

let contributor: Actor;
let cloud: string;

// Times with ties (two rows on each time) and never-set ones, so that every branch of the
// cursor's condition is walked through.
const T = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute));
const TOKEN_ROWS = [
  { name: 'tok01', createdAt: T(5), lastUsedAt: null, status: 'enabled' },
  { name: 'tok02', createdAt: T(1), lastUsedAt: T(30), status: 'disabled' },
  { name: 'tok03', createdAt: T(5), lastUsedAt: T(30), status: 'enabled' },
  { name: 'tok04', createdAt: T(3), lastUsedAt: null, status: 'disabled' },
  { name: 'tok05', createdAt: T(9), lastUsedAt: T(10), status: 'enabled' },
  { name: 'tok06', createdAt: T(1), lastUsedAt: null, status: 'enabled' },
  { name: 'tok07', createdAt: T(7), lastUsedAt: T(50), status: 'disabled' },
] as const;
const REGISTRY_ROWS = [
  { name: 'site01', createdAt: T(4), lastActivityTime: null },
  { name: 'site02', createdAt: T(2), lastActivityTime: T(40) },
  { name: 'site03', createdAt: T(4), lastActivityTime: T(40) },
  { name: 'site04', createdAt: T(8), lastActivityTime: null },
  { name: 'site05', createdAt: T(6), lastActivityTime: T(20) },
] as const;

beforeAll(async () => {
  contributor = await createActor('Contributor');
  cloud = await createCloudRegistryFixture(contributor);
  const db = getDb();
  await createScopeMap(contributor, cloud, { name: 'pullmap', actions: ['repositories/app/content/read'] });
  for (const t of TOKEN_ROWS) {
    await createToken(contributor, cloud, parseInput(createTokenInput, { name: t.name, scopeMap: 'pullmap', noPasswords: true }));
    await db.token.updateMany({
      where: { name: t.name, cloudRegistry: { name: cloud } },
      data: { createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, status: t.status },
    });
  }
  for (const r of REGISTRY_ROWS) {
    await createConnectedRegistry(
      contributor,
      cloud,
      parseInput(createConnectedRegistryInput, {
        name: r.name,
        loginServer: `${r.name}.${cloud.toLowerCase()}.local`,
        repositories: ['app'],
      }),
    );
    await db.connectedRegistry.updateMany({
      where: { name: r.name, cloudRegistry: { name: cloud } },
      data: { createdAt: r.createdAt, lastActivityTime: r.lastActivityTime },
    });
  }
}, 120_000);

type Row = { name: string; [key: string]: unknown };

/** The expected order: by the key (nulls smallest), then by name; reversed for desc. */
function expected(rows: readonly Row[], field: string, order: 'asc' | 'desc', values?: readonly string[]): string[] {
  const rank = (v: unknown) => (v === null ? -Infinity : v instanceof Date ? v.getTime() : values ? values.indexOf(String(v)) : 0);
  const sorted = [...rows].sort((a, b) => rank(a[field]) - rank(b[field]) || (a.name < b.name ? -1 : 1));
  return (order === 'asc' ? sorted : sorted.reverse()).map((r) => r.name);
}

type Lister = (extra: { cursor?: string }) => Promise<SortedPage<{ name: string }>>;

/** Every page forwards through `next`, then backwards through `prev` from the last. */
async function walk(list: Lister) {
  const forward: string[][] = [];
  let page = await list({});
  expect(page.prev).toBeNull();
  forward.push(page.items.map((i) => i.name));
  while (page.next) {
    page = await list({ cursor: page.next });
    forward.push(page.items.map((i) => i.name));
  }
  const backward: string[][] = [forward[forward.length - 1]];
  while (page.prev) {
    page = await list({ cursor: page.prev });
    backward.unshift(page.items.map((i) => i.name));
  }
  return { forward, backward, total: page.total };
}

describe('the tokens list, sorted', () => {
  const cases = [
    ['name', 'asc', 'name'],
    ['name', 'desc', 'name'],
    ['created', 'asc', 'createdAt'],
    ['created', 'desc', 'createdAt'],
    ['lastUsed', 'asc', 'lastUsedAt'],
    ['lastUsed', 'desc', 'lastUsedAt'],
    ['state', 'asc', 'status'],
    ['state', 'desc', 'status'],
  ] as const;
  for (const [sort, order, field] of cases) {
    it(`by ${sort} ${order}: every page once, in order, the same pages back through prev`, async () => {
      const { forward, backward, total } = await walk((extra) =>
        listTokens(cloud, listTokensQuery.parse({ kind: 'client', sort, order, limit: '3', ...extra })),
      );
      const want = expected(TOKEN_ROWS, field, order, ['enabled', 'disabled']);
      expect(forward.flat()).toEqual(want);
      expect(forward.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(backward).toEqual(forward);
      expect(total).toBe(TOKEN_ROWS.length);
    });
  }

  it('without sort: by name, ascending', async () => {
    const page = await listTokens(cloud, listTokensQuery.parse({ kind: 'client' }));
    expect(page.items.map((t) => t.name)).toEqual(expected(TOKEN_ROWS, 'name', 'asc'));
    expect(page).toMatchObject({ next: null, prev: null, total: TOKEN_ROWS.length, totalCapped: false });
  });

  it('refuses a cursor of another sort or order (the portal then shows the first page)', async () => {
    const first = await listTokens(cloud, listTokensQuery.parse({ kind: 'client', sort: 'created', limit: '2' }));
    for (const other of [{ sort: 'lastUsed' }, { sort: 'created', order: 'asc' }]) {
      const error = await listTokens(cloud, listTokensQuery.parse({ kind: 'client', ...other, cursor: first.next })).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details[0].field).toBe('cursor');
    }
  });

  it('counts with the filters: a search matches what it shows', async () => {
    const page = await listTokens(cloud, listTokensQuery.parse({ q: 'tok0', status: 'disabled' }));
    expect(page.items.map((t) => t.name)).toEqual(['tok02', 'tok04', 'tok07']);
    expect(page.total).toBe(3);
  });
});

describe('the connected-registries list, sorted', () => {
  const cases = [
    ['name', 'desc', 'name'],
    ['created', 'asc', 'createdAt'],
    ['created', 'desc', 'createdAt'],
    ['lastActivity', 'asc', 'lastActivityTime'],
    ['lastActivity', 'desc', 'lastActivityTime'],
  ] as const;
  for (const [sort, order, field] of cases) {
    it(`by ${sort} ${order}: every page once, in order, the same pages back through prev`, async () => {
      const { forward, backward, total } = await walk((extra) =>
        listConnectedRegistries(cloud, listConnectedRegistriesQuery.parse({ sort, order, limit: '2', ...extra })),
      );
      expect(forward.flat()).toEqual(expected(REGISTRY_ROWS, field, order));
      expect(backward).toEqual(forward);
      expect(total).toBe(REGISTRY_ROWS.length);
    });
  }

  it('reads the repositories of each registry from its sync scope map', async () => {
    const page = await listConnectedRegistries(cloud, listConnectedRegistriesQuery.parse({ q: 'site03' }));
    expect(page.items.map((r) => [r.name, r.repositories])).toEqual([['site03', ['app']]]);
  });
});

describe('the scope-maps list, sorted', () => {
  it('by created, both ways: system scope maps made in the same instant are ordered by name', async () => {
    const db = getDb();
    const rows = await db.scopeMap.findMany({ where: { cloudRegistry: { name: cloud } }, select: { name: true, createdAt: true } });
    for (const order of ['asc', 'desc'] as const) {
      const { forward, backward } = await walk((extra) =>
        listScopeMaps(cloud, listScopeMapsQuery.parse({ sort: 'created', order, limit: '2', ...extra })),
      );
      expect(forward.flat()).toEqual(expected(rows, 'createdAt', order));
      expect(backward).toEqual(forward);
    }
  });
});

describe('the count', () => {
  it(`stops at ${COUNT_CAP} and says so`, () => {
    const plan = sortPlan({ name: { field: 'name', type: 'text', order: 'asc' } }, {});
    const rows = [{ name: 'a' }, { name: 'b' }];
    expect(sortedPage(plan, rows, 1, COUNT_CAP + 1, (r) => r)).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(sortedPage(plan, rows, 1, COUNT_CAP, (r) => r)).toMatchObject({ total: COUNT_CAP, totalCapped: false });
  });
});
