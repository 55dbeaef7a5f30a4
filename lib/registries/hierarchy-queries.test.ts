// The Hierarchy page's lazy reads against a real database: a level of the tree with child
// counts and pages, the search with the path to each match and its capped count, and the first
// view (a small hierarchy whole, a big one's top level plus the path to `?node=`).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { NotFoundError, ValidationError, parseInput } from '@/lib/errors';
import { seedLarge } from '@/scripts/seed-large';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, rejection } from '@/test/fixtures';
import { hierarchyChildren, hierarchyOpening, searchHierarchy } from './hierarchy-queries';
import { hierarchyChildrenQuery, hierarchySearchQuery } from './hierarchy-schemas';
import { createConnectedRegistry } from './service/create-connected-registry';
import { createConnectedRegistryInput } from './schemas';

setupTestDatabase();

let owner: Actor;
let cloud: string;
const BIG = 'bigfleet';

const children = (registry: string, query: Record<string, unknown> = {}) =>
  hierarchyChildren(registry, parseInput(hierarchyChildrenQuery, query));
const search = (registry: string, q: string, limit?: number) =>
  searchHierarchy(registry, parseInput(hierarchySearchQuery, { q, ...(limit ? { limit } : {}) }));

/** A registry on the big fleet's fifth (last) level. */
async function deepestPlant() {
  const [row] = await getDb().$queryRaw<{ name: string }[]>`
    SELECT c."name" FROM "ConnectedRegistry" c JOIN "CloudRegistry" r ON r."id" = c."cloudRegistryId"
     WHERE r."name" = ${BIG} AND c."name" LIKE 'plant%' ORDER BY c."name" LIMIT 1`;
  return row.name;
}

beforeAll(async () => {
  owner = await createActor('Owner');
  cloud = await createCloudRegistryFixture(owner);
  const create = (name: string, parent: string | null, mode = 'ReadWrite') =>
    createConnectedRegistry(
      owner,
      cloud,
      parseInput(createConnectedRegistryInput, { name, parent, mode, loginServer: `${name}.plant.local`, repositories: ['app'] }),
    );
  // two top-level registries (given out of order, one name capitalised), three under plantAlpha, one below
  await create('plantZulu', null);
  await create('PlantAlpha', null, 'ReadOnly');
  await create('lineTwo', 'PlantAlpha', 'ReadOnly');
  await create('lineOne', 'PlantAlpha', 'ReadOnly');
  await create('lineThree', 'PlantAlpha', 'ReadOnly');
  await create('cellOne', 'lineOne', 'ReadOnly');
  const db = getDb();
  await db.token.updateMany({ where: { name: 'PlantAlpha-sync-token' }, data: { status: 'disabled' } });
  await db.connectedRegistry.updateMany({ where: { name: 'lineOne' }, data: { connectionState: 'Online', lastActivityTime: new Date() } });
  // and a fleet bigger than opens whole: 1,100 registries up to depth 5
  await seedLarge({ name: BIG, registries: 1100, tokens: 100, maxDepth: 5, log: () => {} });
}, 120_000);

describe('hierarchyChildren', () => {
  it('answers the top level by name (any case), each with its child count and state, and the hierarchy’s counts', async () => {
    const top = await children(cloud);
    expect(top).toMatchObject({ parent: null, total: 2, next: null });
    expect(top.items).toEqual([
      {
        name: 'PlantAlpha',
        parent: null,
        connectionState: 'Offline',
        mode: 'ReadOnly',
        activationStatus: 'Inactive',
        notDeployed: true,
        disabled: true,
        childCount: 3,
      },
      { name: 'plantZulu', parent: null, connectionState: 'Offline', activationStatus: 'Inactive', notDeployed: true, childCount: 0 },
    ]);
    // the five that never reported are Not deployed, not Offline
    expect(top.counts).toMatchObject({ total: 6, online: 1, offline: 0, notDeployed: 5, disabled: 1 });
  });

  it('answers one registry’s children (named in any case), without the counts, and pages through them', async () => {
    const level = await children(cloud, { parent: 'plantalpha' });
    expect(level.parent).toBe('PlantAlpha');
    expect(level.counts).toBeUndefined();
    expect(level.items.map((n) => [n.name, n.childCount, n.connectionState])).toEqual([
      ['lineOne', 1, 'Online'],
      ['lineThree', 0, 'Offline'],
      ['lineTwo', 0, 'Offline'],
    ]);
    const first = await children(cloud, { parent: 'PlantAlpha', limit: '2' });
    expect(first.items.map((n) => n.name)).toEqual(['lineOne', 'lineThree']);
    expect(first.total).toBe(3);
    expect(first.next).toEqual(expect.any(String));
    const second = await children(cloud, { parent: 'PlantAlpha', limit: '2', cursor: first.next });
    expect(second).toMatchObject({ total: 3, next: null });
    expect(second.items.map((n) => n.name)).toEqual(['lineTwo']);
    expect((await children(cloud, { parent: 'lineOne' })).items).toEqual([
      {
        name: 'cellOne',
        parent: 'lineOne',
        connectionState: 'Offline',
        mode: 'ReadOnly',
        activationStatus: 'Inactive',
        notDeployed: true,
        childCount: 0,
      },
    ]);
  });

  it('refuses an unknown parent or cloud registry (404) and a cursor or limit it never gave (400)', async () => {
    expect(await rejection(children(cloud, { parent: 'nosuchone' }))).toBeInstanceOf(NotFoundError);
    expect(await rejection(children('nosuchcloud'))).toBeInstanceOf(NotFoundError);
    expect(await rejection(children(cloud, { cursor: 'not-a-cursor' }))).toBeInstanceOf(ValidationError);
    expect(() => parseInput(hierarchyChildrenQuery, { limit: '0' })).toThrow(ValidationError);
    expect(() => parseInput(hierarchyChildrenQuery, { limit: '1001' })).toThrow(ValidationError);
    expect(() => parseInput(hierarchyChildrenQuery, { parent: 'x'.repeat(51) })).toThrow(ValidationError);
  });
});

describe('searchHierarchy', () => {
  it('finds names containing the text in any case, with every registry on the path to them', async () => {
    const found = await search(cloud, '  CELL ');
    expect(found).toMatchObject({ query: 'cell', total: 1, totalCapped: false, matches: ['cellOne'] });
    expect(found.nodes.map((n) => [n.name, n.parent, n.childCount])).toEqual([
      ['cellOne', 'lineOne', 0],
      ['lineOne', 'PlantAlpha', 1],
      ['PlantAlpha', null, 3],
    ]);
    const lines = await search(cloud, 'line');
    expect(lines.matches).toEqual(['lineOne', 'lineThree', 'lineTwo']);
    expect(lines.nodes.map((n) => n.name)).toEqual(['lineOne', 'lineThree', 'lineTwo', 'PlantAlpha']);
  });

  it('matches LIKE’s wildcards literally, and says when nothing matches', async () => {
    expect(await search(cloud, '%')).toMatchObject({ total: 0, matches: [], nodes: [] });
    expect(await search(cloud, 'line_ne')).toMatchObject({ total: 0, matches: [] });
    expect(() => parseInput(hierarchySearchQuery, { q: '   ' })).toThrow(ValidationError);
    expect(() => parseInput(hierarchySearchQuery, { q: 'x'.repeat(51) })).toThrow(ValidationError);
  });

  it('in a big fleet, shows the first matches with their paths and counts up to the cap', async () => {
    // every seeded name holds a 0 (region00001, …)
    const all = await search(BIG, '0', 20);
    expect(all).toMatchObject({ total: 1000, totalCapped: true });
    expect(all.matches).toHaveLength(20);
    const names = new Set(all.nodes.map((n) => n.name));
    for (const n of all.nodes) if (n.parent) expect(names, `${n.name}'s parent`).toContain(n.parent);
    const plant = (await deepestPlant()).toUpperCase();
    const one = await search(BIG, plant);
    expect(one).toMatchObject({ query: plant.toLowerCase(), total: 1, totalCapped: false });
    // a plant is on level 5: it comes with its four ancestors
    expect(one.nodes).toHaveLength(5);
  });

  it('shows the first matches by name whether the text is common (the count capped) or rare', async () => {
    const firstByName = async (text: string, limit: number) =>
      (
        await getDb().$queryRaw<{ name: string }[]>`
          SELECT c."name" FROM "ConnectedRegistry" c JOIN "CloudRegistry" r ON r."id" = c."cloudRegistryId"
           WHERE r."name" = ${BIG} AND c."name" ILIKE ${`%${text}%`} ORDER BY lower(c."name") LIMIT ${limit}`
      ).map((r) => r.name);
    // '0': every name, read along the name index; 'plant0': fewer than the cap, found and sorted
    const common = await search(BIG, '0', 20);
    expect(common.totalCapped).toBe(true);
    expect(common.matches).toEqual(await firstByName('0', 20));
    const rare = await search(BIG, 'plant0', 30);
    expect(rare.totalCapped).toBe(false);
    expect(rare.total).toBeGreaterThan(30);
    expect(rare.matches).toEqual(await firstByName('plant0', 30));
  });
});

describe('hierarchyOpening', () => {
  it('gives a small hierarchy whole, and the selected registry as stored', async () => {
    const opening = await hierarchyOpening(cloud, 'CELLONE', 100);
    expect(opening).toMatchObject({ complete: true, selected: 'cellOne' });
    expect(opening.levels.map((l) => [l.parent, l.items.map((n) => n.name)])).toEqual([
      [null, ['PlantAlpha', 'plantZulu']],
      ['lineOne', ['cellOne']],
      ['PlantAlpha', ['lineOne', 'lineThree', 'lineTwo']],
    ]);
    expect(opening.levels[0].counts?.total).toBe(6);
    expect((await hierarchyOpening(cloud, 'gone', 100)).selected).toBeNull();
    expect((await hierarchyOpening(cloud, '', 100)).selected).toBe('');
  });

  it('gives a big hierarchy’s top level, and each level down to the selected registry', async () => {
    const target = await deepestPlant();
    const opening = await hierarchyOpening(BIG, target.toUpperCase(), 100);
    expect(opening).toMatchObject({ complete: false, selected: target });
    // top, region, country, city, site: five levels, each holding the next one's parent
    expect(opening.levels).toHaveLength(5);
    expect(opening.levels[0].parent).toBeNull();
    expect(opening.levels[0].counts?.total).toBe(1100);
    for (let i = 0; i < opening.levels.length; i++) {
      const next = opening.levels[i + 1]?.parent ?? target;
      expect(opening.levels[i].items.map((n) => n.name)).toContain(next);
    }
    const plain = await hierarchyOpening(BIG, null, 100);
    expect(plain.levels).toHaveLength(1);
    expect(plain.selected).toBeNull();
  });
});
