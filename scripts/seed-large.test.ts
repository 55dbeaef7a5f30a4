// The large seed writes rows in bulk, around the services: it must still build what the services
// would — sync scope maps derived from the hierarchy, ReadOnly subtrees, client tokens a ReadOnly
// registry may accept — and be repeatable with --replace.
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { isReadOnlyActionSet } from '@/lib/scope-maps/grammar';
import { descendantsOf, syncScopeActions } from '@/lib/registries/sync-scope';
import { setupTestDatabase } from '@/test/db';
import { seedLarge } from './seed-large';

setupTestDatabase();
const quiet = () => {};

describe('seedLarge', () => {
  it('builds a hierarchy the services would have built', async () => {
    const result = await seedLarge({ name: 'seedtest', registries: 300, tokens: 500, maxDepth: 6, log: quiet });
    expect(result).toMatchObject({ created: true, registries: 300, tokens: 800, maxDepth: 6 });

    const db = getDb();
    const cloud = await db.cloudRegistry.findUniqueOrThrow({ where: { name: 'seedtest' }, select: { id: true } });
    const registries = await db.connectedRegistry.findMany({
      where: { cloudRegistryId: cloud.id },
      select: {
        id: true,
        name: true,
        parentId: true,
        ancestorIds: true,
        mode: true,
        repositories: true,
        syncToken: { select: { name: true, scopeMapId: true } },
        syncScopeMap: { select: { id: true, name: true, actions: true } },
        clientTokens: { select: { token: { select: { scopeMap: { select: { actions: true } } } } } },
      },
    });
    expect(registries).toHaveLength(300);
    const byId = new Map(registries.map((r) => [r.id, r]));
    const depthOf = (id: string): number => {
      const parentId = byId.get(id)!.parentId;
      return parentId ? 1 + depthOf(parentId) : 1;
    };
    expect(Math.max(...registries.map((r) => depthOf(r.id)))).toBe(6);
    // the database's triggers derive each registry's ancestors from the bulk insert too
    const ancestorsOf = (id: string): string[] => {
      const parentId = byId.get(id)!.parentId;
      return parentId ? [...ancestorsOf(parentId), parentId] : [];
    };
    for (const r of registries) {
      expect(r.syncToken.name).toBe(`${r.name}-sync-token`);
      expect(r.ancestorIds).toEqual(ancestorsOf(r.id));
      expect(r.syncToken.scopeMapId).toBe(r.syncScopeMap.id);
      expect(r.syncScopeMap.actions).toEqual(syncScopeActions(r, descendantsOf(registries, r.id)));
      if (r.parentId && byId.get(r.parentId)!.mode === 'ReadOnly') expect(r.mode).toBe('ReadOnly');
      if (r.mode === 'ReadOnly') for (const c of r.clientTokens) expect(isReadOnlyActionSet(c.token.scopeMap.actions)).toBe(true);
    }
    expect(registries.some((r) => r.mode === 'ReadOnly')).toBe(true);
    expect(registries.some((r) => r.clientTokens.length > 0)).toBe(true);

    const maps = await db.scopeMap.findMany({ where: { cloudRegistryId: cloud.id, system: true }, select: { name: true } });
    expect(maps.map((m) => m.name).sort()).toEqual(['_repositories_admin', '_repositories_pull', '_repositories_push']);
    expect(await db.token.count({ where: { cloudRegistryId: cloud.id } })).toBe(800);
    expect(await db.auditEvent.count({ where: { action: 'cloudRegistry.seedLarge', targetName: 'seedtest' } })).toBe(1);
  });

  it('leaves an existing registry alone unless asked to replace it', async () => {
    const again = await seedLarge({ name: 'seedtest', registries: 20, tokens: 10, log: quiet });
    expect(again).toMatchObject({ created: false, registries: 300, tokens: 800 });

    const replaced = await seedLarge({ name: 'seedtest', registries: 20, tokens: 10, replace: true, log: quiet });
    expect(replaced).toMatchObject({ created: true, registries: 20, tokens: 30 });
    const cloud = await getDb().cloudRegistry.findUniqueOrThrow({ where: { name: 'seedtest' }, select: { id: true } });
    expect(await getDb().connectedRegistry.count({ where: { cloudRegistryId: cloud.id } })).toBe(20);
    expect(await getDb().scopeMap.count({ where: { cloudRegistryId: cloud.id } })).toBe(20 + 20 + 3);
  });

  it('refuses a depth it has no level names for', async () => {
    await expect(seedLarge({ name: 'seedtest2', registries: 20, maxDepth: 9, log: quiet })).rejects.toThrow(/depth/);
  });
});
