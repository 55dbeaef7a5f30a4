// Cloud registries against a real database: system scope maps, unique names and login
// servers, delete refused while connected registries exist, roles.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ConflictError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { setupTestDatabase } from '@/test/db';
import { createActors, rejection } from '@/test/fixtures';
import { SYSTEM_SCOPE_MAPS, createCloudRegistry, deleteCloudRegistry, updateCloudRegistry } from './service/cloud-registries';
import { getCloudRegistry, listCloudRegistries } from './cloud-queries';
import { createConnectedRegistry } from './service/create-connected-registry';
import { deleteConnectedRegistry } from './service/delete-connected-registry';
import { createCloudRegistryInput, createConnectedRegistryInput } from './schemas';
import { parseInput } from '@/lib/errors';

setupTestDatabase();

let contributor: Actor;
let reader: Actor;
beforeAll(async () => {
  [contributor, reader] = await createActors('Contributor', 'Reader');
});

const counts = async () => {
  const db = getDb();
  const [cloud, scopeMaps, tokens, audit] = await Promise.all([
    db.cloudRegistry.count(),
    db.scopeMap.count(),
    db.token.count(),
    db.auditEvent.count(),
  ]);
  return { cloud, scopeMaps, tokens, audit };
};

const cloudInput = (name: string, loginServer = `${name.toLowerCase()}.azurecr.io`, region = 'westus2') =>
  parseInput(createCloudRegistryInput, { name, loginServer, region });

describe('createCloudRegistry', () => {
  it('creates the registry with the default data endpoint and its three system scope maps', async () => {
    const dto = await createCloudRegistry(contributor, cloudInput('contoso'));
    expect(dto).toMatchObject({
      name: 'contoso',
      loginServer: 'contoso.azurecr.io',
      region: 'westus2',
      dataEndpoint: 'contoso.westus2.data.azurecr.io',
      connectedRegistryCount: 0,
    });

    const maps = await getDb().scopeMap.findMany({
      where: { cloudRegistry: { name: 'contoso' } },
      orderBy: { name: 'asc' },
      select: { name: true, system: true, actions: true },
    });
    expect(maps.map((m) => m.name)).toEqual(['_repositories_admin', '_repositories_pull', '_repositories_push']);
    expect(maps.every((m) => m.system)).toBe(true);
    expect([...maps[1].actions].sort()).toEqual(['repositories/*/content/read', 'repositories/*/metadata/read']);
    expect(maps[0].actions).toHaveLength(5);
    expect(maps[2].actions).toContain('repositories/*/content/write');
    expect(maps[2].actions).not.toContain('repositories/*/content/delete');
    expect(SYSTEM_SCOPE_MAPS).toHaveLength(3);
  });

  it('keeps an explicit data endpoint', async () => {
    const dto = await createCloudRegistry(
      contributor,
      parseInput(createCloudRegistryInput, {
        name: 'fabrikam',
        loginServer: 'Fabrikam.Example.com',
        region: 'eastus',
        dataEndpoint: 'data.fabrikam.example.com',
      }),
    );
    expect(dto.loginServer).toBe('fabrikam.example.com');
    expect(dto.dataEndpoint).toBe('data.fabrikam.example.com');
  });

  it('writes an audit event naming the actor', async () => {
    await createCloudRegistry(contributor, cloudInput('audited'));
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'cloudRegistry.create', targetName: 'audited' } });
    expect(event).toMatchObject({
      actorId: contributor.adminId,
      actorName: contributor.email,
      registry: 'audited',
      targetType: 'cloudRegistry',
    });
    expect(event.details).toEqual({
      loginServer: 'audited.azurecr.io',
      region: 'westus2',
      dataEndpoint: 'audited.westus2.data.azurecr.io',
    });
  });

  it('refuses a name that is taken (case-insensitively) with 409 and writes nothing', async () => {
    await createCloudRegistry(contributor, cloudInput('taken'));
    const before = await counts();
    const error = await rejection(createCloudRegistry(contributor, cloudInput('TAKEN', 'other-taken.azurecr.io')));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toBe('A cloud registry with the name TAKEN exists already.');
    expect(error.details).toEqual([{ field: 'name', message: 'This is taken.' }]);
    expect(await counts()).toEqual(before);
  });

  it('refuses a login server that is taken with 409 naming the login server, and writes nothing', async () => {
    await createCloudRegistry(contributor, cloudInput('firstone', 'shared.azurecr.io'));
    const before = await counts();
    const error = await rejection(createCloudRegistry(contributor, cloudInput('secondone', 'shared.azurecr.io')));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.code).toBe('login_server_taken');
    expect(error.message).toMatch(/^The login server shared\.azurecr\.io is taken by cloud registry firstone/);
    expect(error.details).toEqual([{ field: 'loginServer', message: 'Taken by cloud registry firstone.' }]);
    // compared without regard to case
    expect((await rejection(createCloudRegistry(contributor, cloudInput('thirdone', 'SHARED.azurecr.io')))).code).toBe(
      'login_server_taken',
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses a Reader with ForbiddenError and writes nothing', async () => {
    const before = await counts();
    const error = await rejection(createCloudRegistry(reader, cloudInput('readers')));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('updateCloudRegistry', () => {
  it('changes the region and data endpoint and records before and after', async () => {
    await createCloudRegistry(contributor, cloudInput('movable'));
    const dto = await updateCloudRegistry(contributor, 'MOVABLE', { region: 'eastus', dataEndpoint: 'movable.eastus.data.azurecr.io' });
    expect(dto).toMatchObject({ name: 'movable', region: 'eastus', dataEndpoint: 'movable.eastus.data.azurecr.io' });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'cloudRegistry.update', targetName: 'movable' } });
    expect(event.details).toEqual({
      before: { loginServer: 'movable.azurecr.io', region: 'westus2', dataEndpoint: 'movable.westus2.data.azurecr.io' },
      after: { loginServer: 'movable.azurecr.io', region: 'eastus', dataEndpoint: 'movable.eastus.data.azurecr.io' },
    });
  });

  it('refuses a login server another registry uses with 409', async () => {
    await createCloudRegistry(contributor, cloudInput('upone', 'upone.azurecr.io'));
    await createCloudRegistry(contributor, cloudInput('uptwo', 'uptwo.azurecr.io'));
    const error = await rejection(updateCloudRegistry(contributor, 'uptwo', { loginServer: 'upone.azurecr.io' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('login_server_taken');
    expect(error.details).toEqual([{ field: 'loginServer', message: 'Taken by cloud registry upone.' }]);
    expect((await getCloudRegistry('uptwo')).loginServer).toBe('uptwo.azurecr.io');
  });

  it('refuses a Reader and answers 404 for an unknown registry', async () => {
    expect(await rejection(updateCloudRegistry(reader, 'contoso', { region: 'eastus' }))).toBeInstanceOf(ForbiddenError);
    const missing = await rejection(updateCloudRegistry(contributor, 'nosuchregistry', { region: 'eastus' }));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.status).toBe(404);
  });
});

describe('deleteCloudRegistry', () => {
  it('is refused with 409 while connected registries exist, and works once they are gone', async () => {
    await createCloudRegistry(contributor, cloudInput('parented'));
    const edge = parseInput(createConnectedRegistryInput, { name: 'edgeone', loginServer: 'edge01.local', repositories: ['hello-world'] });
    await createConnectedRegistry(contributor, 'parented', edge);

    const before = await counts();
    const error = await rejection(deleteCloudRegistry(contributor, 'parented'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toBe('parented still has 1 connected registry; delete them first.');
    expect(await counts()).toEqual(before);
    expect((await getCloudRegistry('parented')).connectedRegistryCount).toBe(1);

    await deleteConnectedRegistry(contributor, 'parented', 'edgeone');
    await deleteCloudRegistry(contributor, 'parented');
    expect(await rejection(getCloudRegistry('parented'))).toBeInstanceOf(NotFoundError);
    expect(await getDb().scopeMap.count({ where: { cloudRegistry: { name: 'parented' } } })).toBe(0);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'cloudRegistry.delete', targetName: 'parented' } });
    expect(event.details).toEqual({ deletedTokens: 0, deletedScopeMaps: 3 });
  });

  it('deletes the registry’s own tokens and scope maps with it', async () => {
    await createCloudRegistry(contributor, cloudInput('withtokens'));
    const cloud = await getDb().cloudRegistry.findUniqueOrThrow({ where: { name: 'withtokens' } });
    const map = await getDb().scopeMap.create({
      data: { cloudRegistryId: cloud.id, name: 'pullers', actions: ['repositories/*/content/read'] },
    });
    await getDb().token.create({ data: { cloudRegistryId: cloud.id, name: 'ci-pull', scopeMapId: map.id } });
    await deleteCloudRegistry(contributor, 'withtokens');
    expect(await getDb().token.count({ where: { cloudRegistryId: cloud.id } })).toBe(0);
    expect(await getDb().scopeMap.count({ where: { cloudRegistryId: cloud.id } })).toBe(0);
  });

  it('refuses a Reader', async () => {
    await createCloudRegistry(contributor, cloudInput('keepme'));
    expect(await rejection(deleteCloudRegistry(reader, 'keepme'))).toBeInstanceOf(ForbiddenError);
    expect((await getCloudRegistry('keepme')).name).toBe('keepme');
  });
});

describe('listCloudRegistries', () => {
  it('pages through every registry in name order', async () => {
    const all = (await getDb().cloudRegistry.findMany({ select: { name: true }, orderBy: { name: 'asc' } })).map((r) => r.name);
    expect(all.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await listCloudRegistries({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.name));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual(all);
  });
});
