// Names ignore case, as ACR's do: tokens and scope maps are found, checked and kept unique
// without regard to case — by the use cases, the reads and the database's unique indexes alike.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { isUniqueViolation, parseInput } from '@/lib/errors';
import { createConnectedRegistry } from '@/lib/registries/service/create-connected-registry';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { getScopeMap } from '@/lib/scope-maps/queries';
import { createScopeMapInput } from '@/lib/scope-maps/schemas';
import { createScopeMap, deleteScopeMap, updateScopeMap } from '@/lib/scope-maps/service';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture, rejection } from '@/test/fixtures';
import { getToken } from './queries';
import { createTokenInput } from './schemas';
import { createToken } from './service/create-token';
import { deleteToken } from './service/delete-token';
import { regeneratePasswords } from './service/regenerate-passwords';
import { updateToken } from './service/update-token';

setupTestDatabase();

let actor: Actor;
let cloud: string;
let cloudId: string;

beforeAll(async () => {
  actor = await createActor('Contributor');
  cloud = await createCloudRegistryFixture(actor, 'CaseCloud');
  cloudId = (await getDb().cloudRegistry.findFirstOrThrow({ where: { name: cloud }, select: { id: true } })).id;
  await createScopeMap(actor, cloud, parseInput(createScopeMapInput, { name: 'Pull-Apps', actions: ['repositories/apps/content/read'] }));
  await createToken(actor, cloud, parseInput(createTokenInput, { name: 'Kiosk-One', scopeMap: 'Pull-Apps', noPasswords: true }));
});

describe('names ignore case', () => {
  it('a token is found, changed and given a scope map by its name in any case', async () => {
    expect((await getToken(cloud, 'kiosk-one')).name).toBe('Kiosk-One');
    const updated = await updateToken(actor, cloud, 'KIOSK-ONE', { status: 'disabled', scopeMap: 'PULL-APPS' });
    expect(updated).toMatchObject({ name: 'Kiosk-One', status: 'disabled', scopeMap: 'Pull-Apps' });
    const [password] = await regeneratePasswords(actor, cloud, 'kiosk-ONE', { name: 'password1' });
    expect(password.name).toBe('password1');
  });

  it('a scope map is found and changed by its name in any case', async () => {
    expect((await getScopeMap(cloud, 'pull-apps')).name).toBe('Pull-Apps');
    const map = await updateScopeMap(actor, cloud, 'PULL-apps', { description: 'pull the apps' });
    expect(map).toMatchObject({ name: 'Pull-Apps', description: 'pull the apps' });
  });

  it('a connected registry accepts client tokens named in another case', async () => {
    const created = await createConnectedRegistry(
      actor,
      cloud,
      parseInput(createConnectedRegistryInput, {
        name: 'caseEdge',
        loginServer: 'case-edge.local',
        repositories: ['apps'],
        mode: 'ReadOnly',
        clientTokens: ['KIOSK-ONE'],
      }),
    );
    expect(created.clientTokens).toEqual(['Kiosk-One']);
  });

  it('a scope-map name with "_" clashes only with itself, not with names "_" would match as a LIKE wildcard', async () => {
    await createScopeMap(actor, cloud, parseInput(createScopeMapInput, { name: 'teamxread', actions: ['repositories/apps/content/read'] }));
    const map = await createScopeMap(
      actor,
      cloud,
      parseInput(createScopeMapInput, { name: 'team_read', actions: ['repositories/apps/content/read'] }),
    );
    expect(map.name).toBe('team_read');
    expect((await getScopeMap(cloud, 'TEAM_READ')).name).toBe('team_read');
    await deleteScopeMap(actor, cloud, 'Team_Read');
    expect((await getScopeMap(cloud, 'teamxread')).name).toBe('teamxread');
  });

  it('the database refuses a second token or scope map whose name differs only in case, even past the use cases', async () => {
    const map = await getDb().scopeMap.findFirstOrThrow({ where: { cloudRegistryId: cloudId, name: 'Pull-Apps' }, select: { id: true } });
    const token = await getDb()
      .token.create({ data: { cloudRegistryId: cloudId, name: 'KIOSK-one', scopeMapId: map.id } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(token)).toBe(true);
    const twin = await getDb()
      .scopeMap.create({ data: { cloudRegistryId: cloudId, name: 'PULL-APPS', actions: [] } })
      .catch((e: unknown) => e);
    expect(isUniqueViolation(twin)).toBe(true);
    expect(await getDb().token.count({ where: { cloudRegistryId: cloudId, name: { startsWith: 'K', mode: 'insensitive' } } })).toBe(1);
  });

  it('a token is deleted by its name in any case', async () => {
    await createToken(actor, cloud, parseInput(createTokenInput, { name: 'Gone-Soon', scopeMap: 'pull-apps', noPasswords: true }));
    await deleteToken(actor, cloud, 'GONE-SOON');
    expect((await rejection(getToken(cloud, 'Gone-Soon'))).status).toBe(404);
  });
});
