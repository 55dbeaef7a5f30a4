// Over 300 lines, not yet split: its describes (create, the hierarchy, permissions, delete, the
// rules of create, updates, lists) share the helpers below (the create shorthand, the row counts
// behind every "refused, nothing written"); a split moves those to test/ first.
// Connected registries against a real database: the sync credentials made with them, the
// ancestors' derived sync scope maps after create / permissions / delete, every rule refused
// without writing anything, concurrent creates, updates, deactivation and list filters.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError, parseInput } from '@/lib/errors';
import { setupTestDatabase } from '@/test/db';
import { createActors, createCloudRegistryFixture, rejection, schemaRejection } from '@/test/fixtures';
import { createConnectedRegistry } from './service/create-connected-registry';
import { deactivateConnectedRegistry } from './service/deactivate-connected-registry';
import { deleteConnectedRegistry } from './service/delete-connected-registry';
import { getConnectedRegistry, hierarchyTree, listClientTokens, listConnectedRegistries } from './queries';
import { updateConnectedRegistry } from './service/update-connected-registry';
import { updatePermissions } from './service/update-permissions';
import { createConnectedRegistryInput, listConnectedRegistriesQuery, permissionsInput, updateConnectedRegistryInput } from './schemas';
import { sameName } from '@/lib/db/like';

setupTestDatabase();

let contributor: Actor;
let reader: Actor;
beforeAll(async () => {
  [contributor, reader] = await createActors('Contributor', 'Reader');
});

/** A fresh cloud registry per test, so hierarchies never mix. */
const newCloud = () => createCloudRegistryFixture(contributor);

type CreateFields = { name: string; repositories?: string[] } & Record<string, unknown>;
/** Input as a form or the REST API would send it, through the same zod schema. */
const connected = (fields: CreateFields) =>
  parseInput(createConnectedRegistryInput, {
    loginServer: `${fields.name.toLowerCase()}.contoso.local:8080`,
    repositories: ['hello-world'],
    ...fields,
  });

const create = (cloud: string, fields: CreateFields) => createConnectedRegistry(contributor, cloud, connected(fields));

async function rowCounts() {
  const db = getDb();
  const [connectedRegistries, tokens, scopeMaps, clientTokenLinks, auditEvents] = await Promise.all([
    db.connectedRegistry.count(),
    db.token.count(),
    db.scopeMap.count(),
    db.connectedRegistryClientToken.count(),
    db.auditEvent.count(),
  ]);
  return { connectedRegistries, tokens, scopeMaps, clientTokenLinks, auditEvents };
}

/** Runs `refused`, expects an AppError, and checks that no row was written. */
async function refusedWithoutWriting(refused: () => Promise<unknown>): Promise<AppError> {
  const before = await rowCounts();
  const error = await rejection(refused());
  expect(await rowCounts()).toEqual(before);
  return error;
}

async function scopeMapActions(cloud: string, name: string): Promise<string[]> {
  const row = await getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistry: { name: cloud }, name }, select: { actions: true } });
  return row.actions;
}

async function cloudId(cloud: string) {
  return (await getDb().cloudRegistry.findUniqueOrThrow({ where: { name: cloud }, select: { id: true } })).id;
}

/** A client token with its own scope map, made directly in the database. */
async function seedClientToken(cloud: string, name: string, actions: string[]) {
  const cloudRegistryId = await cloudId(cloud);
  const map = await getDb().scopeMap.create({ data: { cloudRegistryId, name: `${name}-map`, actions } });
  return getDb().token.create({ data: { cloudRegistryId, name, scopeMapId: map.id } });
}

const gateway = (registry: string) =>
  ['config/read', 'config/write', 'message/read', 'message/write'].map((a) => `gateway/${registry.toLowerCase()}/${a}`);
const readOnlyActions = (repo: string) => [`repositories/${repo}/content/read`, `repositories/${repo}/metadata/read`];
const readWriteActions = (repo: string) =>
  ['content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'].map((a) => `repositories/${repo}/${a}`);
const sorted = (xs: string[]) => [...xs].sort();
const pull = ['repositories/*/content/read', 'repositories/*/metadata/read'];
const push = [...pull, 'repositories/*/content/write'];

describe('createConnectedRegistry', () => {
  it('creates the registry with its sync token and sync scope map named after it', async () => {
    const cloud = await newCloud();
    const dto = await create(cloud, { name: 'EdgeOne', repositories: ['library/hello-world', 'app'] });

    expect(dto).toMatchObject({
      name: 'EdgeOne',
      registry: cloud,
      parent: null,
      mode: 'ReadWrite',
      loginServer: 'edgeone.contoso.local:8080',
      repositories: ['app', 'library/hello-world'],
      ownRepositories: ['app', 'library/hello-world'],
      clientTokens: [],
      syncToken: 'EdgeOne-sync-token',
      syncScopeMap: 'EdgeOne-scope-map',
      syncSchedule: '* * * * *',
      syncWindow: null,
      syncMessageTtl: 'P2D',
      logLevel: 'Information',
      notifications: [],
      activationStatus: 'Inactive',
      connectionState: 'Offline',
      lastActivityTime: null,
      lastSyncTime: null,
      disabled: false,
      childCount: 0,
    });

    expect(sorted(await scopeMapActions(cloud, 'EdgeOne-scope-map'))).toEqual(
      sorted([...gateway('edgeone'), ...readWriteActions('app'), ...readWriteActions('library/hello-world')]),
    );
    const token = await getDb().token.findFirstOrThrow({
      where: { cloudRegistry: { name: cloud }, name: 'EdgeOne-sync-token' },
      select: {
        status: true,
        scopeMap: { select: { name: true } },
        passwords: { select: { slot: true } },
        syncRegistry: { select: { name: true } },
      },
    });
    // password1 is generated with the registry (its value is in the answer's connection string)
    expect(token).toEqual({
      status: 'enabled',
      scopeMap: { name: 'EdgeOne-scope-map' },
      passwords: [{ slot: 'password1' }],
      syncRegistry: { name: 'EdgeOne' },
    });
  });

  it('grants a ReadOnly registry read actions only', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'mirrorOne', mode: 'ReadOnly', repositories: ['app'] });
    expect(sorted(await scopeMapActions(cloud, 'mirrorOne-scope-map'))).toEqual(
      sorted([...gateway('mirrorone'), ...readOnlyActions('app')]),
    );
  });

  it('keeps the sync settings it is given', async () => {
    const cloud = await newCloud();
    const dto = await create(cloud, {
      name: 'scheduled',
      syncSchedule: '0 2 * * *',
      syncWindow: 'pt3h',
      syncMessageTtl: 'P7D',
      logLevel: 'Warning',
      notifications: ['*:*', 'hello-world:1.0:delete', '*:*'],
    });
    expect(dto).toMatchObject({
      syncSchedule: '0 2 * * *',
      syncWindow: 'PT3H',
      syncMessageTtl: 'P7D',
      logLevel: 'Warning',
      notifications: ['*:*', 'hello-world:1.0:delete'],
    });
  });

  it('writes an audit event with the actor, parent, mode and repositories', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'audited', repositories: ['b', 'a'] });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.create', targetName: 'audited' } });
    expect(event).toMatchObject({
      actorId: contributor.adminId,
      actorName: contributor.email,
      registry: cloud,
      targetType: 'connectedRegistry',
    });
    expect(event.details).toEqual({
      parent: null,
      mode: 'ReadWrite',
      loginServer: 'audited.contoso.local:8080',
      tls: 'Enabled',
      repositories: ['a', 'b'],
      clientTokens: [],
      syncToken: 'audited-sync-token',
      syncPasswordGenerated: 'password1',
      auditLogStatus: 'Disabled',
      garbageCollection: { enabled: true, schedule: '0 0 * * *' },
    });
  });

  it('accepts client tokens, and a ReadOnly registry accepts one whose scope map only reads', async () => {
    const cloud = await newCloud();
    await seedClientToken(cloud, 'puller', pull);
    await seedClientToken(cloud, 'pusher', push);
    const rw = await create(cloud, { name: 'writable', clientTokens: ['pusher', 'puller'] });
    expect(rw.clientTokens).toEqual(['puller', 'pusher']);
    const ro = await create(cloud, { name: 'readable', mode: 'ReadOnly', clientTokens: ['puller'] });
    expect(ro.clientTokens).toEqual(['puller']);
    expect((await listClientTokens(cloud, 'writable')).map((t) => [t.name, t.scopeMap, t.status])).toEqual([
      ['puller', 'puller-map', 'enabled'],
      ['pusher', 'pusher-map', 'enabled'],
    ]);
  });
});

describe('a three-level hierarchy: A under the cloud registry, B under A, C under B', () => {
  let cloud: string;
  beforeAll(async () => {
    cloud = await newCloud();
    await create(cloud, { name: 'factoryA', repositories: ['shared/base', 'a/app'] });
    await create(cloud, { name: 'lineB', parent: 'factoryA', repositories: ['b/app'] });
    await create(cloud, { name: 'robotC', parent: 'LINEB', mode: 'ReadOnly', repositories: ['c/firmware', 'shared/base'] });
  });

  it('gives A’s and B’s sync scope maps C’s gateway actions and repositories, with C’s mode', async () => {
    const a = await scopeMapActions(cloud, 'factoryA-scope-map');
    const b = await scopeMapActions(cloud, 'lineB-scope-map');
    const c = await scopeMapActions(cloud, 'robotC-scope-map');
    for (const actions of [a, b, c]) {
      expect(actions).toEqual(expect.arrayContaining([...gateway('robotC'), ...readOnlyActions('c/firmware')]));
      // C is ReadOnly: nobody syncs its repository with write through it
      expect(actions).not.toContain('repositories/c/firmware/content/write');
    }
    expect(a).toEqual(
      expect.arrayContaining([...gateway('lineB'), ...readWriteActions('b/app'), ...gateway('factoryA'), ...readWriteActions('a/app')]),
    );
    expect(b).toEqual(expect.arrayContaining(gateway('lineB')));
    expect(b.some((x) => x.startsWith('gateway/factorya/'))).toBe(false);
    expect(c.filter((x) => x.startsWith('gateway/'))).toEqual(gateway('robotC'));
    expect(sorted(c)).toEqual(sorted([...gateway('robotC'), ...readOnlyActions('c/firmware'), ...readOnlyActions('shared/base')]));
  });

  it('shows what each registry syncs and who its parent is', async () => {
    const a = await getConnectedRegistry(cloud, 'factorya');
    const b = await getConnectedRegistry(cloud, 'lineB');
    const c = await getConnectedRegistry(cloud, 'robotC');
    expect(a).toMatchObject({ parent: null, childCount: 1, ownRepositories: ['a/app', 'shared/base'] });
    expect(a.repositories).toEqual(['a/app', 'b/app', 'c/firmware', 'shared/base']);
    expect(b).toMatchObject({
      parent: 'factoryA',
      childCount: 1,
      repositories: ['b/app', 'c/firmware', 'shared/base'],
      ownRepositories: ['b/app'],
    });
    expect(c).toMatchObject({ parent: 'lineB', childCount: 0, mode: 'ReadOnly', repositories: ['c/firmware', 'shared/base'] });
  });
});

describe('hierarchyTree', () => {
  it('sends each registry with its parent and state, and spells out only what differs from the usual', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'treeTop' });
    await create(cloud, { name: 'treeMirror', parent: 'treeTop', mode: 'ReadOnly' });
    const top = await getConnectedRegistry(cloud, 'treeTop');
    await getDb().token.updateMany({ where: { name: top.syncToken }, data: { status: 'disabled' } });
    await getDb().connectedRegistry.updateMany({
      where: { name: 'treeMirror' },
      data: { activationStatus: 'Active', connectionState: 'Online', lastActivityTime: new Date() },
    });
    await getDb().connectedRegistry.updateMany({ where: { name: 'treeTop' }, data: { activationStatus: 'Inactive' } });

    const tree = await hierarchyTree(cloud);
    expect(tree.registry.name).toBe(cloud);
    expect(tree.nodes).toEqual([
      { name: 'treeMirror', parent: 'treeTop', connectionState: 'Online', mode: 'ReadOnly' },
      // it never reported: not deployed (and so Offline and Inactive)
      { name: 'treeTop', parent: null, connectionState: 'Offline', activationStatus: 'Inactive', notDeployed: true, disabled: true },
    ]);
    // a registry that reported once and then fell silent is Offline, not "not deployed"
    await getDb().connectedRegistry.updateMany({
      where: { name: 'treeMirror' },
      data: { lastActivityTime: new Date(Date.now() - 3600_000) },
    });
    expect((await hierarchyTree(cloud)).nodes[0]).toEqual({
      name: 'treeMirror',
      parent: 'treeTop',
      connectionState: 'Offline',
      mode: 'ReadOnly',
    });
  });
});

describe('updatePermissions', () => {
  async function hierarchy() {
    const cloud = await newCloud();
    await create(cloud, { name: 'nodeA', repositories: ['a/app', 'shared/base'] });
    await create(cloud, { name: 'nodeB', parent: 'nodeA', repositories: ['b/app', 'shared/base'] });
    await create(cloud, { name: 'nodeC', parent: 'nodeB', repositories: ['c/app', 'shared/base'] });
    return cloud;
  }

  it('adding on C adds to C and to its ancestors’ sync scope maps', async () => {
    const cloud = await hierarchy();
    const dto = await updatePermissions(contributor, cloud, 'nodeC', parseInput(permissionsInput, { add: ['c/extra'] }));
    expect(dto.ownRepositories).toEqual(['c/app', 'c/extra', 'shared/base']);
    for (const map of ['nodeA-scope-map', 'nodeB-scope-map', 'nodeC-scope-map']) {
      expect(await scopeMapActions(cloud, map), map).toEqual(expect.arrayContaining(readWriteActions('c/extra')));
    }
    expect((await getConnectedRegistry(cloud, 'nodeA')).repositories).toContain('c/extra');
    // the list reads each sync scope map's repository actions from the column the database keeps beside its actions
    const listed = await listConnectedRegistries(cloud, listConnectedRegistriesQuery.parse({}));
    expect(listed.items.map((r) => [r.name, r.repositories])).toEqual([
      ['nodeA', ['a/app', 'b/app', 'c/app', 'c/extra', 'shared/base']],
      ['nodeB', ['b/app', 'c/app', 'c/extra', 'shared/base']],
      ['nodeC', ['c/app', 'c/extra', 'shared/base']],
    ]);
    // A's and B's own lists are theirs: they sync c/extra because C does
    expect((await getConnectedRegistry(cloud, 'nodeA')).ownRepositories).toEqual(['a/app', 'shared/base']);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.permissions', targetName: 'nodeC' } });
    expect(event.details).toEqual({ add: ['c/extra'], remove: [], alsoRemovedFrom: [] });
  });

  it('adding on a ReadOnly registry gives its ancestors read actions only for it', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'topOne', repositories: ['top/app'] });
    await create(cloud, { name: 'mirrorTwo', parent: 'topOne', mode: 'ReadOnly', repositories: ['mirror/app'] });
    await updatePermissions(contributor, cloud, 'mirrorTwo', { add: ['mirror/new'], remove: [] });
    const top = await scopeMapActions(cloud, 'topOne-scope-map');
    expect(top).toEqual(expect.arrayContaining(readOnlyActions('mirror/new')));
    expect(top).not.toContain('repositories/mirror/new/content/write');
  });

  it('removing on A removes from A and from every descendant’s repositories and scope maps', async () => {
    const cloud = await hierarchy();
    const dto = await updatePermissions(contributor, cloud, 'nodeA', { add: [], remove: ['shared/base', 'c/app'] });
    expect(dto.ownRepositories).toEqual(['a/app']);
    expect(dto.repositories).toEqual(['a/app', 'b/app']);
    expect((await getConnectedRegistry(cloud, 'nodeB')).ownRepositories).toEqual(['b/app']);
    expect((await getConnectedRegistry(cloud, 'nodeC')).ownRepositories).toEqual([]);
    for (const map of ['nodeA-scope-map', 'nodeB-scope-map', 'nodeC-scope-map']) {
      const actions = await scopeMapActions(cloud, map);
      expect(
        actions.filter((a) => a.includes('shared/base') || a.includes('c/app')),
        map,
      ).toEqual([]);
    }
    // the gateway actions stay: the registries still exist
    expect(await scopeMapActions(cloud, 'nodeA-scope-map')).toEqual(expect.arrayContaining([...gateway('nodeB'), ...gateway('nodeC')]));
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.permissions', targetName: 'nodeA' } });
    expect(event.details).toEqual({ add: [], remove: ['shared/base', 'c/app'], alsoRemovedFrom: ['nodeB', 'nodeC'].sort() });
  });

  it('removing on B leaves A’s own copy of a repository in A’s scope map', async () => {
    const cloud = await hierarchy();
    await updatePermissions(contributor, cloud, 'nodeB', { add: [], remove: ['shared/base'] });
    expect(await scopeMapActions(cloud, 'nodeA-scope-map')).toEqual(expect.arrayContaining(readWriteActions('shared/base')));
    expect((await scopeMapActions(cloud, 'nodeB-scope-map')).some((a) => a.includes('shared/base'))).toBe(false);
    expect((await getConnectedRegistry(cloud, 'nodeC')).ownRepositories).toEqual(['c/app']);
  });

  it('refuses what would take an ancestor’s sync scope map past 500 repository permissions, writing nothing', async () => {
    const cloud = await newCloud();
    // a ReadWrite registry grants 5 actions per repository: 100 repositories are 500 permissions
    await create(cloud, { name: 'bigRoot', repositories: Array.from({ length: 99 }, (_, i) => `root/app${i}`) });
    await create(cloud, { name: 'bigLeaf', parent: 'bigRoot', repositories: ['leaf/app'] });
    const before = await scopeMapActions(cloud, 'bigRoot-scope-map');
    const error = await rejection(updatePermissions(contributor, cloud, 'bigLeaf', parseInput(permissionsInput, { add: ['leaf/more'] })));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('too_many_permissions');
    expect(error.message).toMatch(/^The sync scope map of bigRoot would hold 505 repository permissions/);
    expect(await scopeMapActions(cloud, 'bigRoot-scope-map')).toEqual(before);
    expect((await getConnectedRegistry(cloud, 'bigLeaf')).ownRepositories).toEqual(['leaf/app']);
  });

  it('refuses to remove the last repository of a leaf, writing nothing', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'lonely', repositories: ['only/one'] });
    const error = await refusedWithoutWriting(() => updatePermissions(contributor, cloud, 'lonely', { add: [], remove: ['only/one'] }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/must sync at least one repository/);
    expect((await getConnectedRegistry(cloud, 'lonely')).ownRepositories).toEqual(['only/one']);
  });

  it('refuses invalid repository names and the same repository in add and remove (schema)', () => {
    const bad = schemaRejection(permissionsInput, { add: ['Not/Valid'] });
    expect(bad.details[0].field).toBe('add.0');
    const both = schemaRejection(permissionsInput, { add: ['app'], remove: ['app'] });
    expect(both.details).toEqual([{ field: 'remove', message: 'Repository(ies) app cannot be both added and removed.' }]);
    expect(schemaRejection(permissionsInput, {}).details[0].field).toBe('add');
  });

  it('refuses a Reader and an unknown registry', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'guarded' });
    expect(await refusedWithoutWriting(() => updatePermissions(reader, cloud, 'guarded', { add: ['x'], remove: [] }))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(
      await refusedWithoutWriting(() => updatePermissions(contributor, cloud, 'nosuchone', { add: ['x'], remove: [] })),
    ).toBeInstanceOf(NotFoundError);
  });
});

describe('deleteConnectedRegistry', () => {
  it('is refused while the registry has children; deleting the leaf cleans up its credentials and the ancestors', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'delAlpha', repositories: ['shared/base', 'a/app'] });
    await create(cloud, { name: 'delBravo', parent: 'delAlpha', repositories: ['b/app'] });
    await seedClientToken(cloud, 'leafclient', pull);
    await create(cloud, { name: 'delCharlie', parent: 'delBravo', repositories: ['c/app', 'shared/base'], clientTokens: ['leafclient'] });

    const refused = await refusedWithoutWriting(() => deleteConnectedRegistry(contributor, cloud, 'delBravo'));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.status).toBe(409);
    expect(refused.message).toBe('delBravo still has 1 connected registry under it; delete it first.');

    await deleteConnectedRegistry(contributor, cloud, 'DELCHARLIE');

    expect(await getDb().connectedRegistry.count({ where: { name: 'delCharlie' } })).toBe(0);
    expect(await getDb().token.count({ where: { name: 'delCharlie-sync-token' } })).toBe(0);
    expect(await getDb().scopeMap.count({ where: { name: 'delCharlie-scope-map' } })).toBe(0);
    // a client token is not the registry's: it stays, only the link goes
    expect(await getDb().token.count({ where: { name: 'leafclient' } })).toBe(1);
    expect(await getDb().connectedRegistryClientToken.count({ where: { token: { name: 'leafclient' } } })).toBe(0);

    const a = await scopeMapActions(cloud, 'delAlpha-scope-map');
    const b = await scopeMapActions(cloud, 'delBravo-scope-map');
    for (const actions of [a, b]) {
      expect(actions.some((x) => x.startsWith('gateway/delcharlie/'))).toBe(false);
      expect(actions.some((x) => x.includes('/c/app/'))).toBe(false);
    }
    // shared/base is still A's own repository, so A keeps it; B no longer needs it
    expect(a).toEqual(expect.arrayContaining(readWriteActions('shared/base')));
    expect(b.some((x) => x.includes('shared/base'))).toBe(false);
    expect(sorted(b)).toEqual(sorted([...gateway('delBravo'), ...readWriteActions('b/app')]));
    expect((await getConnectedRegistry(cloud, 'delBravo')).childCount).toBe(0);

    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.delete', targetName: 'delCharlie' } });
    expect(event.details).toEqual({
      parent: 'delBravo',
      deletedSyncToken: 'delCharlie-sync-token',
      deletedSyncScopeMap: 'delCharlie-scope-map',
      repositories: ['c/app', 'shared/base'],
      ancestorsUpdated: ['delBravo', 'delAlpha'],
    });

    // now B is a leaf and can go too
    await deleteConnectedRegistry(contributor, cloud, 'delBravo');
    expect(sorted(await scopeMapActions(cloud, 'delAlpha-scope-map'))).toEqual(
      sorted([...gateway('delAlpha'), ...readWriteActions('a/app'), ...readWriteActions('shared/base')]),
    );
  });

  it('refuses a Reader and an unknown registry', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'keeper' });
    expect(await refusedWithoutWriting(() => deleteConnectedRegistry(reader, cloud, 'keeper'))).toBeInstanceOf(ForbiddenError);
    expect(await refusedWithoutWriting(() => deleteConnectedRegistry(contributor, cloud, 'ghostly'))).toBeInstanceOf(NotFoundError);
    expect(await refusedWithoutWriting(() => deleteConnectedRegistry(contributor, 'nosuchcloud', 'keeper'))).toBeInstanceOf(NotFoundError);
  });
});

describe('the rules of create, each refused with its own message and nothing written', () => {
  let cloud: string;
  beforeAll(async () => {
    cloud = await newCloud();
    await create(cloud, { name: 'takenName' });
    await create(cloud, { name: 'mirrorRoot', mode: 'ReadOnly' });
    await seedClientToken(cloud, 'writer', push);
    await seedClientToken(cloud, 'reader-token', pull);
  });

  it('a name taken in the hierarchy, compared case-insensitively', async () => {
    const error = await refusedWithoutWriting(() => create(cloud, { name: 'TAKENNAME' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toBe(`A connected registry named TAKENNAME exists already in ${cloud}.`);
    expect(error.details).toEqual([{ field: 'name', message: 'This name is taken in this hierarchy.' }]);
  });

  it('the same name in another cloud registry is fine', async () => {
    const other = await newCloud();
    expect((await create(other, { name: 'takenName' })).registry).toBe(other);
  });

  it('a ReadWrite child under a ReadOnly parent (409 readonly_violation)', async () => {
    const error = await refusedWithoutWriting(() => create(cloud, { name: 'rwChild', parent: 'mirrorRoot' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.code).toBe('readonly_violation');
    expect(error.message).toBe('A ReadOnly registry can only have ReadOnly children: choose ReadOnly, or another parent.');
    expect(error.details[0].field).toBe('mode');
    // a ReadOnly child is allowed there
    expect((await create(cloud, { name: 'roChild', parent: 'mirrorRoot', mode: 'ReadOnly' })).parent).toBe('mirrorRoot');
  });

  it('an unknown parent', async () => {
    const error = await refusedWithoutWriting(() => create(cloud, { name: 'orphaned', parent: 'nosuchparent' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(`There is no connected registry named nosuchparent in ${cloud}.`);
    expect(error.details[0].field).toBe('parent');
  });

  it('a ReadOnly registry given a client token whose scope map allows writing (409 readonly_violation)', async () => {
    const error = await refusedWithoutWriting(() =>
      create(cloud, { name: 'strictRo', mode: 'ReadOnly', clientTokens: ['reader-token', 'writer'] }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('readonly_violation');
    expect(error.message).toBe(
      'strictRo is ReadOnly: client token writer cannot be accepted, because its scope map writer-map allows more than reading.',
    );
    expect(error.details[0].field).toBe('clientTokens');
  });

  it('a client token whose scope map writes through gateway actions, for a ReadOnly registry', async () => {
    await seedClientToken(cloud, 'gatewaywriter', ['repositories/*/content/read', 'gateway/somebody/config/write']);
    const error = await refusedWithoutWriting(() =>
      create(cloud, { name: 'strictTwo', mode: 'ReadOnly', clientTokens: ['gatewaywriter'] }),
    );
    expect(error.code).toBe('readonly_violation');
  });

  it('a client token that does not exist, or belongs to another cloud registry', async () => {
    const other = await newCloud();
    await seedClientToken(other, 'foreigner', pull);
    for (const clientTokens of [['foreigner'], ['nosuchtoken']]) {
      const error = await refusedWithoutWriting(() => create(cloud, { name: 'usesForeign', clientTokens }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(`No token named ${clientTokens[0]} exists in this cloud registry.`);
      expect(error.details[0].field).toBe('clientTokens');
    }
  });

  it('a sync token offered as a client token', async () => {
    const error = await refusedWithoutWriting(() => create(cloud, { name: 'usesSync', clientTokens: ['takenName-sync-token'] }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe('takenName-sync-token is a sync token; a connected registry accepts client tokens only.');
  });

  it('a name whose sync credentials clash with an existing token', async () => {
    await seedClientToken(cloud, 'clashing-sync-token', pull);
    const error = await refusedWithoutWriting(() => create(cloud, { name: 'clashing' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/already has a token named clashing-sync-token/);
  });

  it('an invalid registry name (schema)', () => {
    for (const name of ['edge', '1edge', 'edge-01', 'a'.repeat(51)]) {
      const error = schemaRejection(createConnectedRegistryInput, { name, loginServer: 'edge.local', repositories: ['app'] });
      expect(error.details, name).toEqual([{ field: 'name', message: 'Use 5–50 letters and digits, starting with a letter.' }]);
    }
  });

  it('an invalid cron schedule (schema)', () => {
    const error = schemaRejection(createConnectedRegistryInput, {
      name: 'cronly',
      loginServer: 'edge.local',
      repositories: ['app'],
      syncSchedule: '61 * * * *',
    });
    expect(error.details).toHaveLength(1);
    expect(error.details[0].field).toBe('syncSchedule');
    expect(error.details[0].message).toMatch(/"61 \* \* \* \*" is not a valid cron schedule/);
    const sixFields = schemaRejection(createConnectedRegistryInput, {
      name: 'cronly',
      loginServer: 'edge.local',
      repositories: ['app'],
      syncSchedule: '0 0 2 * * *',
    });
    expect(sixFields.details[0].message).toMatch(/needs 5 fields/);
  });

  it('a missing sync window when the schedule is not continuous', async () => {
    const error = await refusedWithoutWriting(() => create(cloud, { name: 'nowindow', syncSchedule: '0 2 * * *' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details).toEqual([
      { field: 'syncWindow', message: 'A sync window is required when the schedule is not continuous (for example PT3H).' },
    ]);
  });

  it('a sync window outside 1 hour–7 days', async () => {
    for (const syncWindow of ['PT30M', 'P8D']) {
      const error = await refusedWithoutWriting(() => create(cloud, { name: 'badwindow', syncSchedule: '0 2 * * *', syncWindow }));
      expect(error, syncWindow).toBeInstanceOf(ValidationError);
      expect(error.details).toEqual([{ field: 'syncWindow', message: 'The sync window must be between 1 hour (PT1H) and 7 days (P7D).' }]);
    }
    const notADuration = await refusedWithoutWriting(() =>
      create(cloud, { name: 'badwindow', syncSchedule: '0 2 * * *', syncWindow: 'three hours' }),
    );
    expect(notADuration.details[0].field).toBe('syncWindow');
  });

  it('a message TTL outside 1–90 days (schema)', () => {
    for (const syncMessageTtl of ['PT12H', 'P91D']) {
      const error = schemaRejection(createConnectedRegistryInput, {
        name: 'ttlbad',
        loginServer: 'edge.local',
        repositories: ['app'],
        syncMessageTtl,
      });
      expect(error.details).toEqual([
        { field: 'syncMessageTtl', message: 'The message TTL must be between 1 day (P1D) and 90 days (P90D).' },
      ]);
    }
  });

  it('a bad notification pattern (schema)', () => {
    const error = schemaRejection(createConnectedRegistryInput, {
      name: 'notifier',
      loginServer: 'edge.local',
      repositories: ['app'],
      notifications: ['*:*', 'foo:pull'],
    });
    expect(error.details).toHaveLength(1);
    expect(error.details[0].field).toBe('notifications.1');
    expect(error.details[0].message).toMatch(/"foo:pull" is not a notification pattern/);
  });

  it('an invalid repository name, or none at all (schema)', () => {
    const error = schemaRejection(createConnectedRegistryInput, {
      name: 'repobad',
      loginServer: 'edge.local',
      repositories: ['ok', 'Library/Hello'],
    });
    expect(error.details).toEqual([
      { field: 'repositories.1', message: '"Library/Hello" is not a valid repository name (lowercase, e.g. library/hello-world).' },
    ]);
    const none = schemaRejection(createConnectedRegistryInput, { name: 'repobad', loginServer: 'edge.local', repositories: [] });
    expect(none.details).toEqual([{ field: 'repositories', message: 'Choose at least one repository to sync.' }]);
  });

  it('an invalid login server (schema)', () => {
    const error = schemaRejection(createConnectedRegistryInput, {
      name: 'hostbad',
      loginServer: 'http://edge.local',
      repositories: ['app'],
    });
    expect(error.details[0].field).toBe('loginServer');
  });

  it('the same token in the add and remove lists of an update (schema)', () => {
    const error = schemaRejection(updateConnectedRegistryInput, { addClientTokens: ['puller', 'other'], removeClientTokens: ['puller'] });
    expect(error.details).toEqual([{ field: 'removeClientTokens', message: 'Token(s) puller cannot be both added and removed.' }]);
  });

  it('a Reader (403)', async () => {
    const error = await refusedWithoutWriting(() => createConnectedRegistry(reader, cloud, connected({ name: 'readersOwn' })));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.status).toBe(403);
  });

  it('an unknown cloud registry (404)', async () => {
    expect(await refusedWithoutWriting(() => create('nosuchcloud', { name: 'lostOne' }))).toBeInstanceOf(NotFoundError);
  });
});

describe('concurrent creates', () => {
  it('of the same name: exactly one succeeds, the other is a ConflictError, and one set of rows exists', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'raceParent' });
    const results = await Promise.allSettled([
      create(cloud, { name: 'racer', parent: 'raceParent', repositories: ['one'] }),
      create(cloud, { name: 'Racer', parent: 'raceParent', repositories: ['two'] }),
    ]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(ConflictError);
    expect((rejected[0].reason as ConflictError).status).toBe(409);

    const where = { cloudRegistry: { name: cloud } };
    expect(await getDb().connectedRegistry.count({ where: { ...where, name: sameName('racer') } })).toBe(1);
    expect(await getDb().token.count({ where: { ...where, name: sameName('racer-sync-token') } })).toBe(1);
    expect(await getDb().scopeMap.count({ where: { ...where, name: sameName('racer-scope-map') } })).toBe(1);
    expect(
      await getDb().auditEvent.count({ where: { action: 'connectedRegistry.create', registry: cloud, targetName: sameName('racer') } }),
    ).toBe(1);
  });

  it('of siblings: the parent’s sync scope map ends up with both (no lost update)', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'hubParent', repositories: ['hub'] });
    await Promise.all(
      ['siblingOne', 'siblingTwo', 'siblingThree'].map((name) =>
        create(cloud, { name, parent: 'hubParent', repositories: [`${name.toLowerCase()}/app`] }),
      ),
    );
    const actions = await scopeMapActions(cloud, 'hubParent-scope-map');
    for (const name of ['siblingOne', 'siblingTwo', 'siblingThree']) {
      expect(actions).toEqual(expect.arrayContaining([...gateway(name), ...readWriteActions(`${name.toLowerCase()}/app`)]));
    }
  });
});

describe('updateConnectedRegistry', () => {
  it('changes sync settings, client tokens and notifications, and records before and after', async () => {
    const cloud = await newCloud();
    await seedClientToken(cloud, 'first', pull);
    await seedClientToken(cloud, 'second', push);
    await create(cloud, { name: 'tunable', clientTokens: ['first'], notifications: ['*:*'] });

    const input = parseInput(updateConnectedRegistryInput, {
      addClientTokens: ['second'],
      removeClientTokens: ['first'],
      syncSchedule: '0 2 * * *',
      syncWindow: 'PT3H',
      syncMessageTtl: 'P7D',
      logLevel: 'Debug',
      addNotifications: ['hello-world:1.0:delete'],
      removeNotifications: ['*:*'],
      loginServer: 'Tunable.Contoso.Local:9090',
    });
    const dto = await updateConnectedRegistry(contributor, cloud, 'TUNABLE', input);
    expect(dto).toMatchObject({
      clientTokens: ['second'],
      syncSchedule: '0 2 * * *',
      syncWindow: 'PT3H',
      syncMessageTtl: 'P7D',
      logLevel: 'Debug',
      notifications: ['hello-world:1.0:delete'],
      loginServer: 'tunable.contoso.local:9090',
    });
    expect(await getConnectedRegistry(cloud, 'tunable')).toMatchObject({ clientTokens: ['second'], logLevel: 'Debug' });

    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.update', targetName: 'tunable' } });
    expect(event).toMatchObject({ actorId: contributor.adminId, registry: cloud });
    expect(event.details).toEqual({
      clientTokens: { before: ['first'], after: ['second'] },
      syncSchedule: { before: '* * * * *', after: '0 2 * * *' },
      syncWindow: { before: null, after: 'PT3H' },
      syncMessageTtl: { before: 'P2D', after: 'P7D' },
      logLevel: { before: 'Information', after: 'Debug' },
      notifications: { before: ['*:*'], after: ['hello-world:1.0:delete'] },
      loginServer: { before: 'tunable.contoso.local:8080', after: 'tunable.contoso.local:9090' },
    });
  });

  it('refuses a non-continuous schedule without a window, writing nothing', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'windowless' });
    const error = await refusedWithoutWriting(() =>
      updateConnectedRegistry(contributor, cloud, 'windowless', { syncSchedule: '0 2 * * *' }),
    );
    expect(error.details).toEqual([
      { field: 'syncWindow', message: 'A sync window is required when the schedule is not continuous (for example PT3H).' },
    ]);
    expect((await getConnectedRegistry(cloud, 'windowless')).syncSchedule).toBe('* * * * *');
  });

  it('refuses clearing the window of a scheduled registry, and a window out of range', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'windowed', syncSchedule: '0 2 * * *', syncWindow: 'PT2H' });
    expect(
      (await refusedWithoutWriting(() => updateConnectedRegistry(contributor, cloud, 'windowed', { syncWindow: null }))).details[0].field,
    ).toBe('syncWindow');
    const range = await refusedWithoutWriting(() => updateConnectedRegistry(contributor, cloud, 'windowed', { syncWindow: 'P10D' }));
    expect(range.message).toBe('The sync window must be between 1 hour (PT1H) and 7 days (P7D).');
  });

  it('refuses a writing client token for a ReadOnly registry, writing nothing', async () => {
    const cloud = await newCloud();
    await seedClientToken(cloud, 'pushy', push);
    await create(cloud, { name: 'readOnlyOne', mode: 'ReadOnly' });
    const error = await refusedWithoutWriting(() =>
      updateConnectedRegistry(contributor, cloud, 'readOnlyOne', { addClientTokens: ['pushy'], logLevel: 'Debug' }),
    );
    expect(error.code).toBe('readonly_violation');
    expect(await getConnectedRegistry(cloud, 'readOnlyOne')).toMatchObject({ clientTokens: [], logLevel: 'Information' });
  });

  it('refuses a client token of another cloud registry, writing nothing', async () => {
    const cloud = await newCloud();
    const other = await newCloud();
    await seedClientToken(other, 'elsewhere', pull);
    await create(cloud, { name: 'homebody' });
    const error = await refusedWithoutWriting(() =>
      updateConnectedRegistry(contributor, cloud, 'homebody', { addClientTokens: ['elsewhere'] }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details[0].field).toBe('clientTokens');
  });

  it('refuses a Reader', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'untouched' });
    expect(await refusedWithoutWriting(() => updateConnectedRegistry(reader, cloud, 'untouched', { logLevel: 'Debug' }))).toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('deactivateConnectedRegistry', () => {
  it('resets activation to Inactive and forgets the instance', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'deployed' });
    await getDb().connectedRegistry.updateMany({
      where: { name: 'deployed' },
      data: { activationStatus: 'Active', instanceId: 'instance-1' },
    });
    expect((await getConnectedRegistry(cloud, 'deployed')).activationStatus).toBe('Active');

    const dto = await deactivateConnectedRegistry(contributor, cloud, 'deployed');
    expect(dto.activationStatus).toBe('Inactive');
    const row = await getDb().connectedRegistry.findFirstOrThrow({
      where: { name: 'deployed' },
      select: { activationStatus: true, instanceId: true },
    });
    expect(row).toEqual({ activationStatus: 'Inactive', instanceId: null });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'connectedRegistry.deactivate', targetName: 'deployed' } });
    expect(event.details).toEqual({ before: 'Active' });
  });

  it('refuses a Reader', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'stayActive' });
    await getDb().connectedRegistry.updateMany({ where: { name: 'stayActive' }, data: { activationStatus: 'Active' } });
    expect(await refusedWithoutWriting(() => deactivateConnectedRegistry(reader, cloud, 'stayActive'))).toBeInstanceOf(ForbiddenError);
    expect((await getConnectedRegistry(cloud, 'stayActive')).activationStatus).toBe('Active');
  });
});

describe('listConnectedRegistries', () => {
  // rootOne ─┬─ midOne ── leafOne
  //          └─ midTwo
  // rootTwo
  let cloud: string;
  beforeAll(async () => {
    cloud = await newCloud();
    await create(cloud, { name: 'rootOne' });
    await create(cloud, { name: 'rootTwo', mode: 'ReadOnly' });
    await create(cloud, { name: 'midOne', parent: 'rootOne' });
    await create(cloud, { name: 'midTwo', parent: 'rootOne' });
    await create(cloud, { name: 'leafOne', parent: 'midOne' });
    // another hierarchy's registries never show
    const other = await newCloud();
    await create(other, { name: 'midThree' });
  });

  const list = async (query: Record<string, string>) =>
    (await listConnectedRegistries(cloud, parseInput(listConnectedRegistriesQuery, query))).items.map((r) => r.name);

  it('lists all registries of the cloud registry, by name', async () => {
    expect(await list({})).toEqual(['leafOne', 'midOne', 'midTwo', 'rootOne', 'rootTwo']);
  });

  it('counts each listed registry’s direct children', async () => {
    const page = await listConnectedRegistries(cloud, parseInput(listConnectedRegistriesQuery, {}));
    expect(Object.fromEntries(page.items.map((r) => [r.name, r.childCount]))).toEqual({
      leafOne: 0,
      midOne: 1,
      midTwo: 0,
      rootOne: 2,
      rootTwo: 0,
    });
  });

  it('shows each registry as it reads alone: parent, sync token, repositories, client tokens, shared login server, children', async () => {
    // the list reads what it shows besides a registry's own columns in one query of its own
    const own = await newCloud();
    const other = await newCloud();
    await seedClientToken(own, 'listpusher', readWriteActions('shop/app'));
    await seedClientToken(own, 'listpuller', readOnlyActions('shop/app'));
    await create(own, { name: 'listTop', repositories: ['shop/app', 'shop/db'], clientTokens: ['listpusher', 'listpuller'] });
    await create(own, { name: 'listLeaf', parent: 'listTop', mode: 'ReadOnly', repositories: ['shop/app'], clientTokens: ['listpuller'] });
    // another hierarchy's registry on the leaf's login server: both say with whom they share it
    await create(other, { name: 'listTwin', loginServer: 'listleaf.contoso.local:8080' });
    const leaf = await getDb().connectedRegistry.findFirstOrThrow({ where: { name: 'listLeaf' }, select: { syncTokenId: true } });
    await getDb().token.update({ where: { id: leaf.syncTokenId }, data: { status: 'disabled' } });

    const page = await listConnectedRegistries(own, parseInput(listConnectedRegistriesQuery, {}));
    expect(page.items.map((r) => r.name)).toEqual(['listLeaf', 'listTop']);
    for (const item of page.items) expect(item).toEqual(await getConnectedRegistry(own, item.name));
    expect(page.items[0]).toMatchObject({
      parent: 'listTop',
      disabled: true,
      clientTokens: ['listpuller'],
      loginServerSharedWith: [`${other}/listTwin`],
    });
    expect(page.items[1]).toMatchObject({
      childCount: 1,
      clientTokens: ['listpuller', 'listpusher'],
      repositories: ['shop/app', 'shop/db'],
    });
  });

  it('lists the descendants of a parent at every depth', async () => {
    expect(await list({ parent: 'rootOne' })).toEqual(['leafOne', 'midOne', 'midTwo']);
    expect(await list({ parent: 'midtwo' })).toEqual([]);
  });

  it('lists direct children only with children=direct', async () => {
    expect(await list({ parent: 'rootOne', children: 'direct' })).toEqual(['midOne', 'midTwo']);
    expect(await list({ children: 'direct' })).toEqual(['rootOne', 'rootTwo']);
  });

  it('filters by a name fragment, case-insensitively, and by mode', async () => {
    expect(await list({ q: 'MID' })).toEqual(['midOne', 'midTwo']);
    expect(await list({ q: 'one', parent: 'rootOne' })).toEqual(['leafOne', 'midOne']);
    expect(await list({ mode: 'ReadOnly' })).toEqual(['rootTwo']);
  });

  it('pages with a cursor until every registry was seen once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listConnectedRegistries(
        cloud,
        parseInput(listConnectedRegistriesQuery, { limit: '2', ...(cursor ? { cursor } : {}) }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.name));
      cursor = page.next ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['leafOne', 'midOne', 'midTwo', 'rootOne', 'rootTwo']);
  });

  it('pages a filtered list too', async () => {
    const first = await listConnectedRegistries(cloud, parseInput(listConnectedRegistriesQuery, { q: 'o', limit: '1', parent: 'rootOne' }));
    expect(first.items.map((r) => r.name)).toEqual(['leafOne']);
    const second = await listConnectedRegistries(
      cloud,
      parseInput(listConnectedRegistriesQuery, { q: 'o', limit: '1', parent: 'rootOne', cursor: first.next! }),
    );
    expect(second.items.map((r) => r.name)).toEqual(['midOne']);
  });

  it('refuses an unknown parent (404) and a cursor it did not give out (400)', async () => {
    expect(await rejection(list({ parent: 'nosuchparent' }))).toBeInstanceOf(NotFoundError);
    const bad = await rejection(list({ cursor: 'not-a-cursor' }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.details[0].field).toBe('cursor');
  });

  it('shows Offline for a registry that reported long ago, and its reported state when recent', async () => {
    await getDb().connectedRegistry.updateMany({
      where: { name: 'rootOne' },
      data: { connectionState: 'Online', lastActivityTime: new Date() },
    });
    await getDb().connectedRegistry.updateMany({
      where: { name: 'rootTwo' },
      data: { connectionState: 'Online', lastActivityTime: new Date(Date.now() - 10 * 60 * 1000) },
    });
    expect(await list({ connectionState: 'Online' })).toEqual(['rootOne']);
    expect(await list({ connectionState: 'Offline' })).toEqual(['leafOne', 'midOne', 'midTwo', 'rootTwo']);
    expect((await getConnectedRegistry(cloud, 'rootTwo')).connectionState).toBe('Offline');
  });
});
