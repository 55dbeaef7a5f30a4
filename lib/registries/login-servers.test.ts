// A login server names one registry: a cloud registry's is its own, connected registries may
// share one (and are then told apart by their service names), enforced by the database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrate';
import { parseInput } from '@/lib/errors';
import { createScratchDatabase, itOnPostgresServer, migrateBefore, setupTestDatabase, type ScratchDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, createConnectedRegistryFixture, rejection, uniqueName } from '@/test/fixtures';
import { createCloudRegistry, updateCloudRegistry } from './service/cloud-registries';
import { deleteConnectedRegistry } from './service/delete-connected-registry';
import { getConnectedRegistry } from './queries';
import { updateConnectedRegistry } from './service/update-connected-registry';
import { detachedConnectedRegistries, loginServerUsage } from './login-servers';
import { createCloudRegistryInput } from './schemas';

setupTestDatabase();

let actor: Actor;
beforeAll(async () => {
  actor = await createActor('Contributor');
});

const connected = (cloud: string, name: string, loginServer: string) =>
  createConnectedRegistryFixture(actor, cloud, { name, loginServer, repositories: ['apps/web'] });
const cloudOn = (name: string, loginServer: string) =>
  createCloudRegistry(actor, parseInput(createCloudRegistryInput, { name, loginServer, region: 'westus2' }));
const registryCounts = async () => ({
  connected: await getDb().connectedRegistry.count(),
  cloud: await getDb().cloudRegistry.count(),
  loginServers: await getDb().loginServer.count(),
  audit: await getDb().auditEvent.count(),
});

describe('a cloud registry’s login server names it alone', () => {
  it('a connected registry of another cloud registry cannot take it (409 login_server_taken naming the holder), whatever the case', async () => {
    const a = await createCloudRegistryFixture(actor);
    const b = await createCloudRegistryFixture(actor);
    const before = await registryCounts();
    const error = await rejection(connected(b, 'thiefone', `${a.toUpperCase()}.AZURECR.IO`));
    expect(error.status).toBe(409);
    expect(error.code).toBe('login_server_taken');
    expect(error.message).toContain(`cloud registry ${a}`);
    expect(error.details).toEqual([{ field: 'loginServer', message: `Taken by cloud registry ${a}.` }]);
    expect(await registryCounts()).toEqual(before);
    // nor by moving an existing registry onto it
    await connected(b, 'moverone', 'mover.store.local');
    const moved = await rejection(updateConnectedRegistry(actor, b, 'moverone', { loginServer: `${a.toLowerCase()}.azurecr.io` }));
    expect(moved.code).toBe('login_server_taken');
    expect((await getConnectedRegistry(b, 'moverone')).loginServer).toBe('mover.store.local');
  });

  it('a cloud registry cannot take a connected registry’s login server, until no connected registry uses it', async () => {
    const a = await createCloudRegistryFixture(actor);
    await connected(a, 'holderone', 'held.store.local:5000');
    const error = await rejection(cloudOn(uniqueName('taker'), 'Held.Store.Local:5000'));
    expect(error.code).toBe('login_server_taken');
    expect(error.message).toContain(`connected registry holderone of ${a}`);
    const other = await createCloudRegistryFixture(actor);
    expect((await rejection(updateCloudRegistry(actor, other, { loginServer: 'held.store.local:5000' }))).code).toBe('login_server_taken');

    await deleteConnectedRegistry(actor, a, 'holderone');
    const taker = uniqueName('taker');
    expect((await cloudOn(taker, 'held.store.local:5000')).loginServer).toBe('held.store.local:5000');
    expect(await loginServerUsage(getDb(), 'held.store.local:5000')).toMatchObject({ cloudRegistry: taker, connectedRegistries: [] });
  });

  it('a cloud registry that moves gives its old login server back', async () => {
    const a = await createCloudRegistryFixture(actor);
    await updateCloudRegistry(actor, a, { loginServer: 'moved.example.com' });
    await connected(await createCloudRegistryFixture(actor), 'afterone', `${a.toLowerCase()}.azurecr.io`);
  });

  itOnPostgresServer(
    'holds under races: a cloud and a connected registry created at once on one login server, 8 rounds, exactly one wins each time',
    async () => {
      const host = await createCloudRegistryFixture(actor);
      for (let round = 0; round < 8; round++) {
        const server = `race${round}.example.com`;
        const results = await Promise.allSettled([cloudOn(uniqueName('racer'), server), connected(host, `racer${round}x`, server)]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won, `round ${round}`).toHaveLength(1);
        expect(lost[0].reason.code, `round ${round}`).toBe('login_server_taken');
        const usage = await loginServerUsage(getDb(), server);
        expect(Number(Boolean(usage.cloudRegistry)) + usage.connectedRegistries.length).toBe(1);
      }
    },
  );
});

describe('connected registries may share a login server', () => {
  it('each keeps its own service name, and each says with whom it shares', async () => {
    const a = await createCloudRegistryFixture(actor);
    const b = await createCloudRegistryFixture(actor);
    const one = await connected(a, 'storeone', 'registry.store.local');
    expect(one).toMatchObject({ serviceName: `${a}/storeone`, loginServerUnique: true, loginServerSharedWith: [] });
    await connected(b, 'storetwo', 'REGISTRY.store.local');
    const shared = await getConnectedRegistry(a, 'storeone');
    expect(shared).toMatchObject({
      loginServer: 'registry.store.local',
      loginServerUnique: false,
      loginServerSharedWith: [`${b}/storetwo`],
    });
  });
});

describe('a database that already has a connected registry on a cloud registry’s login server', () => {
  let scratch: ScratchDatabase;
  afterAll(async () => scratch?.drop());

  it('still migrates: that registry is detached (its login server grants it nothing) and listed for an admin', async () => {
    scratch = await createScratchDatabase();
    await migrateBefore(scratch.url, '_login_servers');

    const c = new pg.Client({ connectionString: scratch.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO "CloudRegistry" (id, name, "loginServer", region, "dataEndpoint", "updatedAt")
        VALUES ('00000000-0000-4000-8000-00000000000a', 'alpha', 'alpha.azurecr.io', 'westus2', 'alpha.westus2.data.azurecr.io', now()),
               ('00000000-0000-4000-8000-00000000000b', 'beta', 'beta.azurecr.io', 'westus2', 'beta.westus2.data.azurecr.io', now())`);
      await c.query(`INSERT INTO "ScopeMap" (id, "cloudRegistryId", name, actions, "updatedAt") VALUES
        ('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-00000000000b', 'squat-scope-map', '{}', now()),
        ('00000000-0000-4000-8000-0000000000c2', '00000000-0000-4000-8000-00000000000b', 'fine-scope-map', '{}', now())`);
      await c.query(`INSERT INTO "Token" (id, "cloudRegistryId", name, "scopeMapId", "updatedAt") VALUES
        ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-00000000000b', 'squat-sync-token', '00000000-0000-4000-8000-0000000000c1', now()),
        ('00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-00000000000b', 'fine-sync-token', '00000000-0000-4000-8000-0000000000c2', now())`);
      await c.query(`INSERT INTO "ConnectedRegistry" (id, "cloudRegistryId", name, "loginServer", repositories, notifications, "syncTokenId", "syncScopeMapId", "updatedAt") VALUES
        ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-00000000000b', 'squat', 'ALPHA.azurecr.io', '{apps/web}', '{}', '00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000c1', now()),
        ('00000000-0000-4000-8000-0000000000e2', '00000000-0000-4000-8000-00000000000b', 'fine', 'Fine.store.local', '{apps/web}', '{}', '00000000-0000-4000-8000-0000000000d2', '00000000-0000-4000-8000-0000000000c2', now())`);

      const result = await migrate(scratch.url);
      expect(result.applied[0]).toMatch(/_login_servers$/);
      const rows = (await c.query(`SELECT name, "loginServer", "loginServerHolder" FROM "ConnectedRegistry" ORDER BY name`)).rows;
      expect(rows).toEqual([
        { name: 'fine', loginServer: 'fine.store.local', loginServerHolder: 'connected' },
        { name: 'squat', loginServer: 'alpha.azurecr.io', loginServerHolder: null },
      ]);
      const servers = (await c.query(`SELECT name, holder FROM "LoginServer" ORDER BY name`)).rows;
      expect(servers).toEqual([
        { name: 'alpha.azurecr.io', holder: 'cloud' },
        { name: 'beta.azurecr.io', holder: 'cloud' },
        { name: 'fine.store.local', holder: 'connected' },
      ]);
    } finally {
      await c.end();
    }
  });

  it('lists detached registries for the start log and the Overview, and an admin fixes one by giving it its own login server', async () => {
    const a = await createCloudRegistryFixture(actor);
    const b = await createCloudRegistryFixture(actor);
    await connected(b, 'squatter', 'squat.store.local');
    // what the migration leaves behind, made here by hand
    await getDb()
      .$executeRaw`UPDATE "ConnectedRegistry" SET "loginServer" = ${`${a.toLowerCase()}.azurecr.io`}, "loginServerHolder" = NULL WHERE name = 'squatter'`;
    expect(await detachedConnectedRegistries()).toEqual([
      { registry: b, name: 'squatter', loginServer: `${a.toLowerCase()}.azurecr.io`, serviceName: `${b}/squatter` },
    ]);
    expect(await getConnectedRegistry(b, 'squatter')).toMatchObject({ loginServerDetached: true, loginServerUnique: false });
    // giving it the same name again is refused; its own name re-attaches it
    expect((await rejection(updateConnectedRegistry(actor, b, 'squatter', { loginServer: `${a.toLowerCase()}.azurecr.io` }))).code).toBe(
      'login_server_taken',
    );
    await updateConnectedRegistry(actor, b, 'squatter', { loginServer: 'squatter.store.local' });
    expect(await detachedConnectedRegistries()).toEqual([]);
    expect(await getConnectedRegistry(b, 'squatter')).toMatchObject({ loginServerDetached: false, loginServerUnique: true });
  });
});
