// The migration that stores each registry's own repository actions (`repositoryActions`) fills
// them for registries made before it: their repositories with their mode's actions, which is
// what their sync scope maps granted until then. Without that fill, the next change anywhere in
// a hierarchy would recompute the sync scope maps from empty lists and drop every repository.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb, getDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrate';
import { createScratchDatabase, migrateBefore, type ScratchDatabase } from '@/test/db';
import { createActor } from '@/test/fixtures';
import { getConnectedRegistry } from './queries';
import { updatePermissions } from './service/update-permissions';
import { modeActionsFor, syncScopeActions } from './sync-scope';

let scratch: ScratchDatabase;
let c: pg.Client;
const id = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const sorted = (a: string[]) => [...a].sort();

// A database as Canopy left it before the migration: hubaa (ReadWrite: base, shared) above
// leafbb (ReadOnly: app, shared), and lonecc with no repository row at all (NULL).
beforeAll(async () => {
  scratch = await createScratchDatabase();
  await migrateBefore(scratch.url, '_sync_repository_actions');
  c = new pg.Client({ connectionString: scratch.url });
  await c.connect();
  await c.query(
    `INSERT INTO "LoginServer" (name, holder) VALUES ('alpha.azurecr.io', 'cloud'), ('hub.local', 'connected'), ('leaf.local', 'connected'), ('lone.local', 'connected')`,
  );
  await c.query(
    `INSERT INTO "CloudRegistry" (id, name, "loginServer", region, "dataEndpoint", "updatedAt")
    VALUES ($1, 'alpha', 'alpha.azurecr.io', 'westus2', 'alpha.westus2.data.azurecr.io', now())`,
    [id(1)],
  );
  const registries: [number, string, string, string[] | null, 'ReadWrite' | 'ReadOnly', number | null][] = [
    [10, 'hubaa', 'hub.local', ['base', 'shared'], 'ReadWrite', null],
    [20, 'leafbb', 'leaf.local', ['app', 'shared'], 'ReadOnly', 10],
    [30, 'lonecc', 'lone.local', null, 'ReadWrite', null],
  ];
  for (const [n, name, loginServer, repositories, mode, parent] of registries) {
    await c.query(`INSERT INTO "ScopeMap" (id, "cloudRegistryId", name, actions, "updatedAt") VALUES ($1, $2, $3, '{}', now())`, [
      id(n + 1),
      id(1),
      `${name}-scope-map`,
    ]);
    await c.query(`INSERT INTO "Token" (id, "cloudRegistryId", name, "scopeMapId", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [
      id(n + 2),
      id(1),
      `${name}-sync-token`,
      id(n + 1),
    ]);
    await c.query(
      `INSERT INTO "ConnectedRegistry" (id, "cloudRegistryId", "parentId", name, mode, "loginServer", repositories, notifications, "syncTokenId", "syncScopeMapId", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, $9, now())`,
      [id(n), id(1), parent === null ? null : id(parent), name, mode, loginServer, repositories, id(n + 2), id(n + 1)],
    );
  }
  // the sync scope maps as the old code derived them from the hierarchy
  const hub = { id: 'h', name: 'hubaa', parentId: null, mode: 'ReadWrite' as const, repositories: ['base', 'shared'] };
  const leaf = { id: 'l', name: 'leafbb', parentId: 'h', mode: 'ReadOnly' as const, repositories: ['app', 'shared'] };
  await c.query(`UPDATE "ScopeMap" SET actions = $1 WHERE id = $2`, [syncScopeActions(hub, [leaf]), id(11)]);
  await c.query(`UPDATE "ScopeMap" SET actions = $1 WHERE id = $2`, [syncScopeActions(leaf, []), id(21)]);

  const result = await migrate(scratch.url);
  expect(result.applied[0]).toMatch(/_sync_repository_actions$/);
  // from here on the app itself works on the migrated database
  process.env.DATABASE_URL = scratch.url;
  process.env.DATABASE_POOL_MAX = scratch.embedded ? '1' : '5';
  process.env.CANOPY_EMBEDDED = scratch.embedded ? '1' : '0';
}, 120_000);

afterAll(async () => {
  await c?.end();
  await disconnectDb();
  await scratch?.drop();
}, 60_000);

async function repositoryActionsOf(name: string): Promise<string[]> {
  const { rows } = await c.query<{ repositoryActions: string[] }>(`SELECT "repositoryActions" FROM "ConnectedRegistry" WHERE name = $1`, [
    name,
  ]);
  return rows[0].repositoryActions;
}

describe('the repositoryActions migration on a database with registries', () => {
  it('fills each registry’s own repository actions from its repositories and its mode', async () => {
    expect(sorted(await repositoryActionsOf('hubaa'))).toEqual(modeActionsFor(['base', 'shared'], 'ReadWrite'));
    expect(sorted(await repositoryActionsOf('leafbb'))).toEqual(modeActionsFor(['app', 'shared'], 'ReadOnly'));
    expect(await repositoryActionsOf('leafbb')).not.toContain('repositories/app/content/write');
    expect(await repositoryActionsOf('lonecc')).toEqual([]);
    const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "ConnectedRegistry" WHERE "syncTokenAdopted"`);
    expect(Number(rows[0].n)).toBe(0);
  });

  it('keeps what each registry syncs when the next change recomputes the hierarchy’s sync scope maps', async () => {
    const hubBefore = (await getDb().scopeMap.findFirstOrThrow({ where: { name: 'hubaa-scope-map' }, select: { actions: true } })).actions;
    const actor = await createActor('Contributor');
    await updatePermissions(actor, 'alpha', 'leafbb', { add: ['docs'], remove: [] });

    const hub = await getConnectedRegistry('alpha', 'hubaa');
    expect(hub.ownRepositories).toEqual(['base', 'shared']);
    expect(hub.repositories).toEqual(['app', 'base', 'docs', 'shared']);
    const hubAfter = (await getDb().scopeMap.findFirstOrThrow({ where: { name: 'hubaa-scope-map' }, select: { actions: true } })).actions;
    // everything it granted before is still granted (base keeps its write actions), plus docs to read
    expect(hubAfter).toEqual(sorted([...hubBefore, ...modeActionsFor(['docs'], 'ReadOnly')]));
    expect((await getConnectedRegistry('alpha', 'leafbb')).ownRepositories).toEqual(['app', 'docs', 'shared']);
  });
});
