// Over 300 lines on purpose: the scope maps' use cases (create, update, delete) with their rules
// and validation, one describe each, sharing one cloud registry's fixtures.
// Scope maps against a real database: create, update and delete with their audit events;
// validation of names, descriptions and actions; system and sync scope maps are not editable;
// a map in use cannot be deleted; a change reaches every token at once; and the ReadOnly rule.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, parseInput } from '@/lib/errors';
import { getToken } from '@/lib/tokens/queries';
import { createTokenInput } from '@/lib/tokens/schemas';
import { createToken } from '@/lib/tokens/service/create-token';
import { updateToken } from '@/lib/tokens/service/update-token';
import { setupTestDatabase } from '@/test/db';
import { createActors, createCloudRegistryFixture, createConnectedRegistryFixture, rejection, schemaRejection } from '@/test/fixtures';
import { getScopeMap, listScopeMaps } from './queries';
import { createScopeMapInput, updateScopeMapInput } from './schemas';
import { createScopeMap, deleteScopeMap, updateScopeMap } from './service';

setupTestDatabase();

let contributor: Actor;
let reader: Actor;
beforeAll(async () => {
  [contributor, reader] = await createActors('Contributor', 'Reader');
});

const newCloud = () => createCloudRegistryFixture(contributor);

async function newConnected(cloud: string, input: { name: string } & Record<string, unknown>) {
  return createConnectedRegistryFixture(contributor, cloud, input);
}

async function newToken(cloud: string, name: string, scopeMap: string) {
  return createToken(contributor, cloud, parseInput(createTokenInput, { name, scopeMap, noPasswords: true }));
}

async function stored(cloud: string, name: string) {
  return getDb().scopeMap.findFirst({
    where: { cloudRegistry: { name: cloud }, name },
    select: { actions: true, description: true, updatedAt: true },
  });
}

const auditFor = (cloud: string, targetName: string) =>
  getDb().auditEvent.findMany({ where: { registry: cloud, targetType: 'scopeMap', targetName }, orderBy: { id: 'asc' } });

const read = ['repositories/app/content/read', 'repositories/app/metadata/read'];

describe('createScopeMap', () => {
  it('stores the actions sorted without duplicates and writes a scopeMap.create event by the actor', async () => {
    const cloud = await newCloud();
    const input = parseInput(createScopeMapInput, {
      name: 'pull-app',
      description: '  Pull the app  ',
      actions: ['repositories/app/metadata/read', 'repositories/app/content/read', 'repositories/app/content/read'],
    });
    const dto = await createScopeMap(contributor, cloud, input);
    expect(dto).toMatchObject({
      name: 'pull-app',
      description: 'Pull the app',
      actions: read,
      system: false,
      syncRegistry: null,
      tokenCount: 0,
    });
    expect(await getScopeMap(cloud, 'pull-app')).toEqual(dto);

    const events = await auditFor(cloud, 'pull-app');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'scopeMap.create', actorId: contributor.adminId, actorName: contributor.email });
    expect(events[0].details).toEqual({ actions: read, description: 'Pull the app' });
  });

  it('refuses a name taken in the same cloud registry (case-insensitively) with 409, but allows it in another', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'shared-map', actions: read });
    const error = await rejection(createScopeMap(contributor, cloud, { name: 'SHARED-map', actions: read }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.details).toEqual([{ field: 'name', message: 'This name is taken: no token uses it.' }]);
    expect(await stored(cloud, 'SHARED-map')).toBeNull();
    expect(await auditFor(cloud, 'SHARED-map')).toHaveLength(0);

    const other = await newCloud();
    await expect(createScopeMap(contributor, other, { name: 'shared-map', actions: read })).resolves.toMatchObject({ name: 'shared-map' });
  });

  it('refuses a Reader with ForbiddenError and writes nothing', async () => {
    const cloud = await newCloud();
    const error = await rejection(createScopeMap(reader, cloud, { name: 'readers-map', actions: read }));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.status).toBe(403);
    expect(await stored(cloud, 'readers-map')).toBeNull();
  });
});

describe('scope map input validation', () => {
  const repoActions = (n: number, action = 'content/read') => Array.from({ length: n }, (_, i) => `repositories/repo${i}/${action}`);

  it('accepts names of 5–60 letters, digits, "-" and "_" (room for <50-character token>-scope-map), and refuses others on the name field', () => {
    for (const name of ['abcde', 'a'.repeat(60), `${'t'.repeat(50)}-scope-map`, 'Pull_app-01']) {
      expect(parseInput(createScopeMapInput, { name, actions: read }).name).toBe(name);
    }
    for (const name of ['abcd', 'a'.repeat(61), 'pull app', 'pull.app', 'pull/app', '']) {
      const error = schemaRejection(createScopeMapInput, { name, actions: read });
      expect(
        error.details.map((d) => d.field),
        name,
      ).toEqual(['name']);
    }
  });

  it('accepts a description of 256 characters and refuses 257', () => {
    expect(parseInput(createScopeMapInput, { name: 'described', description: 'd'.repeat(256), actions: read }).description).toHaveLength(
      256,
    );
    const error = schemaRejection(createScopeMapInput, { name: 'described', description: 'd'.repeat(257), actions: read });
    expect(error.details).toEqual([{ field: 'description', message: 'At most 256 characters.' }]);
    expect(schemaRejection(updateScopeMapInput, { description: 'd'.repeat(257) }).details[0].field).toBe('description');
  });

  it('refuses an empty action list and reports every bad action on the actions field', () => {
    expect(schemaRejection(createScopeMapInput, { name: 'emptymap', actions: [] }).details).toEqual([
      { field: 'actions', message: 'A scope map needs at least one action.' },
    ]);
    const error = schemaRejection(createScopeMapInput, {
      name: 'badmap',
      actions: ['repositories/app/content/read', 'repositories/app/content/execute', 'gateway/Edge01/config/read', 'registry/app/pull'],
    });
    expect(error.details).toHaveLength(3);
    expect(error.details.every((d) => d.field === 'actions')).toBe(true);
    expect(error.details[0].message).toContain('content/execute');
    expect(error.details[1].message).toContain('"Edge01"');
    expect(error.details[2].message).toContain('must start with "repositories/" or "gateway/"');
  });

  it('accepts 500 repository permissions and refuses 501, on create and in addActions', () => {
    expect(parseInput(createScopeMapInput, { name: 'bigmap', actions: repoActions(500) }).actions).toHaveLength(500);
    expect(schemaRejection(createScopeMapInput, { name: 'bigmap', actions: repoActions(501) }).details).toEqual([
      { field: 'actions', message: 'A scope map can hold at most 500 repository permissions; this one has 501.' },
    ]);
    expect(schemaRejection(updateScopeMapInput, { addActions: repoActions(501) }).details).toEqual([
      { field: 'addActions', message: 'A scope map can hold at most 500 repository permissions; this one has 501.' },
    ]);
  });

  it('refuses an action that is both added and removed, and unknown keys', () => {
    const both = schemaRejection(updateScopeMapInput, { addActions: read, removeActions: [read[0]] });
    expect(both.details).toEqual([{ field: 'removeActions', message: `${read[0]} cannot be both added and removed.` }]);
    expect(schemaRejection(updateScopeMapInput, { actions: read }).details.length).toBeGreaterThan(0);
    expect(schemaRejection(createScopeMapInput, { name: 'extrakey', actions: read, system: true }).details.length).toBeGreaterThan(0);
  });

  it('refuses in the service an update whose merged list would exceed 500 repository permissions, and writes nothing', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, parseInput(createScopeMapInput, { name: 'nearlyfull', actions: repoActions(450) }));
    // each request is within the limit on its own; the merged map is not
    const input = parseInput(updateScopeMapInput, { addActions: repoActions(60, 'metadata/read') });
    const error = await rejection(updateScopeMap(contributor, cloud, 'nearlyfull', input));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
    expect(error.details).toEqual([
      { field: 'addActions', message: 'A scope map can hold at most 500 repository permissions; this one has 510.' },
    ]);
    expect((await stored(cloud, 'nearlyfull'))!.actions).toHaveLength(450);
    expect((await auditFor(cloud, 'nearlyfull')).map((e) => e.action)).toEqual(['scopeMap.create']);
  });
});

describe('updateScopeMap', () => {
  it('adds and removes actions, changes the description, and records what changed', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, {
      name: 'editable',
      description: 'before',
      actions: [...read, 'repositories/old/content/read'],
    });
    const dto = await updateScopeMap(
      contributor,
      cloud,
      'editable',
      parseInput(updateScopeMapInput, {
        addActions: ['repositories/new/content/read', read[0]],
        removeActions: ['repositories/old/content/read'],
        description: 'after',
      }),
    );
    expect(dto.actions).toEqual(['repositories/app/content/read', 'repositories/app/metadata/read', 'repositories/new/content/read']);
    expect(dto.description).toBe('after');
    expect(await stored(cloud, 'editable')).toMatchObject({ actions: dto.actions, description: 'after' });

    const events = await auditFor(cloud, 'editable');
    expect(events.map((e) => e.action)).toEqual(['scopeMap.create', 'scopeMap.update']);
    expect(events[1].actorId).toBe(contributor.adminId);
    expect(events[1].details).toEqual({
      added: ['repositories/new/content/read'],
      removed: ['repositories/old/content/read'],
      description: { before: 'before', after: 'after' },
    });
  });

  it('clears the description with null or "" and leaves it alone when absent', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'describedmap', description: 'keep me', actions: read });
    await updateScopeMap(contributor, cloud, 'describedmap', { addActions: ['repositories/more/content/read'] });
    expect((await stored(cloud, 'describedmap'))!.description).toBe('keep me');
    await updateScopeMap(contributor, cloud, 'describedmap', { description: null });
    expect((await stored(cloud, 'describedmap'))!.description).toBeNull();
    await updateScopeMap(contributor, cloud, 'describedmap', { description: 'again' });
    await updateScopeMap(contributor, cloud, 'describedmap', parseInput(updateScopeMapInput, { description: '' }));
    expect((await stored(cloud, 'describedmap'))!.description).toBeNull();
  });

  it('refuses to remove the last action with ValidationError and writes nothing', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'lastaction', actions: [read[0]] });
    const error = await rejection(updateScopeMap(contributor, cloud, 'lastaction', { removeActions: [read[0]] }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details[0].field).toBe('removeActions');
    expect((await stored(cloud, 'lastaction'))!.actions).toEqual([read[0]]);
  });

  it('answers 404 for an unknown map and 403 for a Reader', async () => {
    const cloud = await newCloud();
    expect(await rejection(updateScopeMap(contributor, cloud, 'nosuchmap', { description: 'x' }))).toBeInstanceOf(NotFoundError);
    await createScopeMap(contributor, cloud, { name: 'guarded', actions: read });
    expect(await rejection(updateScopeMap(reader, cloud, 'guarded', { description: 'x' }))).toBeInstanceOf(ForbiddenError);
    expect((await stored(cloud, 'guarded'))!.description).toBeNull();
  });
});

describe('deleteScopeMap', () => {
  it('deletes an unused map and writes a scopeMap.delete event with its actions', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'goner', actions: read });
    await deleteScopeMap(contributor, cloud, 'goner');
    expect(await stored(cloud, 'goner')).toBeNull();
    expect(await rejection(getScopeMap(cloud, 'goner'))).toBeInstanceOf(NotFoundError);
    const events = await auditFor(cloud, 'goner');
    expect(events.map((e) => e.action)).toEqual(['scopeMap.create', 'scopeMap.delete']);
    expect(events[1].details).toEqual({ actions: read });
  });

  it('is refused with 409 in_use naming the tokens while a token uses the map, and works once none does', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'busymap', actions: read });
    await newToken(cloud, 'ci-puller', 'busymap');
    const error = await rejection(deleteScopeMap(contributor, cloud, 'busymap'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.code).toBe('in_use');
    expect(error.message).toContain('ci-puller');
    expect(await stored(cloud, 'busymap')).not.toBeNull();
    expect((await auditFor(cloud, 'busymap')).map((e) => e.action)).toEqual(['scopeMap.create']);

    await createScopeMap(contributor, cloud, { name: 'othermap', actions: read });
    await updateToken(contributor, cloud, 'ci-puller', { scopeMap: 'othermap' });
    await deleteScopeMap(contributor, cloud, 'busymap');
    expect(await stored(cloud, 'busymap')).toBeNull();
  });

  it('refuses a Reader with ForbiddenError', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'keptmap', actions: read });
    expect(await rejection(deleteScopeMap(reader, cloud, 'keptmap'))).toBeInstanceOf(ForbiddenError);
    expect(await stored(cloud, 'keptmap')).not.toBeNull();
  });
});

describe('system and sync scope maps', () => {
  it('lists the three system scope maps of a new cloud registry, which cannot be edited or deleted (409 system_scope_map)', async () => {
    const cloud = await newCloud();
    const system = await listScopeMaps(cloud, { kind: 'system', limit: 50 });
    expect(system.items.map((m) => m.name)).toEqual(['_repositories_admin', '_repositories_pull', '_repositories_push']);
    expect(system.items.every((m) => m.system)).toBe(true);

    for (const name of ['_repositories_admin', '_repositories_pull', '_repositories_push']) {
      const before = await stored(cloud, name);
      const update = await rejection(
        updateScopeMap(contributor, cloud, name, { addActions: ['repositories/extra/content/read'], description: 'mine' }),
      );
      expect(update).toBeInstanceOf(ConflictError);
      expect([update.status, update.code]).toEqual([409, 'system_scope_map']);
      expect(update.message).toContain(name);
      const del = await rejection(deleteScopeMap(contributor, cloud, name));
      expect([del.status, del.code]).toEqual([409, 'system_scope_map']);
      expect(await stored(cloud, name)).toEqual(before);
    }
    expect(await getDb().auditEvent.count({ where: { registry: cloud, targetType: 'scopeMap' } })).toBe(0);
  });

  it('refuses to delete a connected registry’s sync scope map (409 sync_scope_map), naming the registry; editing it goes through the registry’s rules', async () => {
    const cloud = await newCloud();
    const edge = await newConnected(cloud, { name: 'edgesync', loginServer: 'edgesync.local', repositories: ['app'] });
    const mapName = edge.syncScopeMap;
    const listed = await getScopeMap(cloud, mapName);
    expect(listed.syncRegistry).toBe('edgesync');
    const before = await stored(cloud, mapName);

    const del = await rejection(deleteScopeMap(contributor, cloud, mapName));
    expect(del).toBeInstanceOf(ConflictError);
    expect([del.status, del.code]).toEqual([409, 'sync_scope_map']);
    expect(del.message).toContain('edgesync');
    expect(await stored(cloud, mapName)).toEqual(before);
    // (the edits themselves: lib/registries/sync-scope-map-edit.test.ts)
    const own = await rejection(updateScopeMap(contributor, cloud, mapName, { removeActions: ['gateway/edgesync/config/read'] }));
    expect([own.status, own.code]).toEqual([409, 'own_gateway_action']);
    expect(await stored(cloud, mapName)).toEqual(before);
  });
});

describe('a change to a scope map', () => {
  it('applies at once to every token that uses it: the tokens reference the map, nothing is copied', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'teammap', actions: read });
    await newToken(cloud, 'team-one', 'teammap');
    await newToken(cloud, 'team-two', 'teammap');
    expect((await getScopeMap(cloud, 'teammap')).tokenCount).toBe(2);

    const added = 'repositories/app/content/write';
    const dto = await updateScopeMap(contributor, cloud, 'teammap', { addActions: [added] });
    expect(dto.tokenCount).toBe(2);

    const map = await getDb().scopeMap.findFirstOrThrow({
      where: { cloudRegistry: { name: cloud }, name: 'teammap' },
      select: { id: true },
    });
    for (const name of ['team-one', 'team-two']) {
      expect((await getToken(cloud, name)).scopeMap).toBe('teammap');
      const token = await getDb().token.findFirstOrThrow({
        where: { cloudRegistry: { name: cloud }, name },
        select: { scopeMapId: true, scopeMap: { select: { actions: true } } },
      });
      expect(token.scopeMapId).toBe(map.id);
      expect(token.scopeMap.actions).toEqual(dto.actions);
      expect(token.scopeMap.actions).toContain(added);
    }
  });

  it('that would give a ReadOnly registry’s client token a write action is refused with 409 naming the registry, and nothing is written', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'kioskpull', description: 'read only', actions: read });
    await newToken(cloud, 'kiosk-client', 'kioskpull');
    await newConnected(cloud, {
      name: 'kioskone',
      mode: 'ReadOnly',
      loginServer: 'kiosk.local',
      repositories: ['app'],
      clientTokens: ['kiosk-client'],
    });
    const before = await stored(cloud, 'kioskpull');
    const auditBefore = await getDb().auditEvent.count();

    for (const write of [
      'repositories/app/content/write',
      'repositories/app/content/delete',
      'repositories/app/metadata/write',
      'gateway/kioskone/config/write',
    ]) {
      const error = await rejection(updateScopeMap(contributor, cloud, 'kioskpull', { addActions: [write], description: 'changed' }));
      expect(error, write).toBeInstanceOf(ConflictError);
      expect([error.status, error.code]).toEqual([409, 'readonly_violation']);
      expect(error.message).toContain('kioskone');
      expect(error.message).toContain('kiosk-client');
    }
    expect(await stored(cloud, 'kioskpull')).toEqual(before);
    expect(await getDb().auditEvent.count()).toBe(auditBefore);

    // a change that keeps the map read-only is fine
    const ok = await updateScopeMap(contributor, cloud, 'kioskpull', { addActions: ['repositories/other/content/read'] });
    expect(ok.actions).toContain('repositories/other/content/read');
  });

  it('with a write action is allowed when the map’s tokens are accepted only by ReadWrite registries', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'factorymap', actions: read });
    await newToken(cloud, 'factory-client', 'factorymap');
    await newConnected(cloud, { name: 'factoryrw', loginServer: 'factory.local', repositories: ['app'], clientTokens: ['factory-client'] });
    const dto = await updateScopeMap(contributor, cloud, 'factorymap', { addActions: ['repositories/app/content/write'] });
    expect(dto.actions).toContain('repositories/app/content/write');
  });
});

describe('the scope-maps list at scale', () => {
  it('stops each map’s token count at 1,000 (shown as "1,000+"); the map itself counts them all', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'crowdmap', actions: read });
    await createScopeMap(contributor, cloud, { name: 'fewmap', actions: read });
    const [crowd, few, registry] = await Promise.all([
      getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name: 'crowdmap' }, select: { id: true } }),
      getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name: 'fewmap' }, select: { id: true } }),
      getDb().cloudRegistry.findFirstOrThrow({ where: { name: cloud }, select: { id: true } }),
    ]);
    const tokens = (mapId: string, prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ cloudRegistryId: registry.id, scopeMapId: mapId, name: `${prefix}-${i}` }));
    await getDb().token.createMany({ data: [...tokens(crowd.id, 'crowd', 1001), ...tokens(few.id, 'few', 3)] });

    const page = await listScopeMaps(cloud, { kind: 'user', limit: 50 });
    expect(page.items.map((m) => [m.name, m.tokenCount, m.tokenCountCapped])).toEqual([
      ['crowdmap', 1000, true],
      ['fewmap', 3, false],
    ]);
    expect(await getScopeMap(cloud, 'crowdmap')).toMatchObject({ tokenCount: 1001, tokenCountCapped: false });
  });

  it('filters by kind on the stored kind: system, a connected registry’s sync map, and users’ maps', async () => {
    const cloud = await newCloud();
    await createScopeMap(contributor, cloud, { name: 'usermap', actions: read });
    const edge = await newConnected(cloud, { name: 'kindedge', loginServer: 'kindedge.local', repositories: ['app'] });
    const names = async (kind: 'all' | 'system' | 'sync' | 'user') =>
      (await listScopeMaps(cloud, { kind, limit: 50 })).items.map((m) => m.name);
    expect(await names('user')).toEqual(['usermap']);
    expect(await names('sync')).toEqual([edge.syncScopeMap]);
    expect(await names('system')).toEqual(['_repositories_admin', '_repositories_pull', '_repositories_push']);
    expect(await names('all')).toHaveLength(5);
    // a write that names the column cannot make a map what it is not
    await getDb().scopeMap.updateMany({ where: { cloudRegistry: { name: cloud } }, data: { kind: 'user' } });
    expect(await names('user')).toEqual(['usermap']);
    expect(await names('sync')).toEqual([edge.syncScopeMap]);
  });
});
