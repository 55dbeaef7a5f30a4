// The connected-registries list's `parent=` filter at depth, read through the ancestors the
// database keeps on each registry (ancestorIds, kept by the triggers of the ancestor_ids
// migration): every registry below the parent at any depth, with the other filters, paged through
// the cursor, and still right after a registry moves (by any write) or is deleted.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { setupTestDatabase } from '@/test/db';
import { createActors, createCloudRegistryFixture } from '@/test/fixtures';
import { createConnectedRegistry } from './service/create-connected-registry';
import { deleteConnectedRegistry } from './service/delete-connected-registry';
import { listConnectedRegistries } from './queries';
import { createConnectedRegistryInput, listConnectedRegistriesQuery } from './schemas';

setupTestDatabase();

let contributor: Actor;
let cloud: string;

const create = (name: string, parent?: string, mode?: string) =>
  createConnectedRegistry(
    contributor,
    cloud,
    parseInput(createConnectedRegistryInput, {
      name,
      loginServer: `${name.toLowerCase()}.contoso.local:8080`,
      repositories: ['hello-world'],
      ...(parent ? { parent } : {}),
      ...(mode ? { mode } : {}),
    }),
  );

const list = async (query: Record<string, string>) =>
  (await listConnectedRegistries(cloud, parseInput(listConnectedRegistriesQuery, query))).items.map((r) => r.name);

/** Every page of a list, `limit` at a time, through the cursor. */
async function walk(query: Record<string, string>, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const page = await listConnectedRegistries(
      cloud,
      parseInput(listConnectedRegistriesQuery, { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) }),
    );
    seen.push(...page.items.map((r) => r.name));
    if (!page.next) return seen;
    cursor = page.next;
  }
  throw new Error('more than 20 pages');
}

const idOf = async (name: string) =>
  (await getDb().connectedRegistry.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name }, select: { id: true } })).id;

async function ancestorNames(name: string): Promise<string[]> {
  const row = await getDb().connectedRegistry.findFirstOrThrow({
    where: { cloudRegistry: { name: cloud }, name },
    select: { ancestorIds: true },
  });
  const names = await getDb().connectedRegistry.findMany({ where: { id: { in: row.ancestorIds } }, select: { id: true, name: true } });
  return row.ancestorIds.map((id) => names.find((n) => n.id === id)!.name);
}

describe('the connected-registries list under a parent', () => {
  // rootA ─┬─ lineA ─┬─ cellA ── unitA ── leafA
  //        │         └─ cellB (ReadOnly)
  //        └─ lineB
  // rootB ── lineC
  beforeAll(async () => {
    [contributor] = await createActors('Contributor');
    cloud = await createCloudRegistryFixture(contributor);
    await create('rootA');
    await create('rootB');
    await create('lineA', 'rootA');
    await create('lineB', 'rootA');
    await create('lineC', 'rootB');
    await create('cellA', 'lineA');
    await create('cellB', 'lineA', 'ReadOnly');
    await create('unitA', 'cellA');
    await create('leafA', 'unitA');
  });

  it('lists every registry below the parent, at every depth, and none elsewhere', async () => {
    expect(await list({ parent: 'rootA' })).toEqual(['cellA', 'cellB', 'leafA', 'lineA', 'lineB', 'unitA']);
    expect(await list({ parent: 'LINEA' })).toEqual(['cellA', 'cellB', 'leafA', 'unitA']);
    expect(await list({ parent: 'cellA' })).toEqual(['leafA', 'unitA']);
    expect(await list({ parent: 'unitA' })).toEqual(['leafA']);
    expect(await list({ parent: 'leafA' })).toEqual([]);
    expect(await list({ parent: 'rootB' })).toEqual(['lineC']);
  });

  it('keeps each registry’s ancestors, the top-level one first', async () => {
    expect(await ancestorNames('rootA')).toEqual([]);
    expect(await ancestorNames('leafA')).toEqual(['rootA', 'lineA', 'cellA', 'unitA']);
    expect(await ancestorNames('cellB')).toEqual(['rootA', 'lineA']);
  });

  it('combines the subtree with the other filters, the count and the sorts', async () => {
    expect(await list({ parent: 'rootA', mode: 'ReadOnly' })).toEqual(['cellB']);
    expect(await list({ parent: 'rootA', q: 'CELL' })).toEqual(['cellA', 'cellB']);
    expect(await list({ parent: 'rootA', connectionState: 'Offline', q: 'unit' })).toEqual(['unitA']);
    const page = await listConnectedRegistries(cloud, parseInput(listConnectedRegistriesQuery, { parent: 'lineA', limit: '2' }));
    expect(page).toMatchObject({ total: 4, totalCapped: false });
    expect(await list({ parent: 'lineA', sort: 'created' })).toEqual(['leafA', 'unitA', 'cellB', 'cellA']);
  });

  it('pages through a deep subtree with the cursor, each registry once', async () => {
    expect(await walk({ parent: 'rootA' }, 2)).toEqual(['cellA', 'cellB', 'leafA', 'lineA', 'lineB', 'unitA']);
    expect(await walk({ parent: 'rootA', sort: 'created' }, 4)).toEqual(['leafA', 'unitA', 'cellB', 'cellA', 'lineB', 'lineA']);
  });

  it('follows a registry that moves, with everything below it, whoever writes the move', async () => {
    // the app has no move yet: a plain SQL write, as an operator's fix would be
    await getDb()
      .$executeRaw`UPDATE "ConnectedRegistry" SET "parentId" = ${await idOf('lineC')}::uuid WHERE "id" = ${await idOf('cellA')}::uuid`;
    expect(await list({ parent: 'lineA' })).toEqual(['cellB']);
    expect(await list({ parent: 'rootB' })).toEqual(['cellA', 'leafA', 'lineC', 'unitA']);
    expect(await ancestorNames('leafA')).toEqual(['rootB', 'lineC', 'cellA', 'unitA']);
    // a write of the derived column itself is put right
    await getDb().$executeRaw`UPDATE "ConnectedRegistry" SET "ancestorIds" = '{}' WHERE "id" = ${await idOf('unitA')}::uuid`;
    expect(await ancestorNames('unitA')).toEqual(['rootB', 'lineC', 'cellA']);
    expect(await list({ parent: 'cellA' })).toEqual(['leafA', 'unitA']);
  });

  it('leaves a deleted registry out', async () => {
    await deleteConnectedRegistry(contributor, cloud, 'leafA');
    expect(await list({ parent: 'rootB' })).toEqual(['cellA', 'lineC', 'unitA']);
  });
});
