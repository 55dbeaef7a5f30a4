// A token's lastUsedAt (the tokens list sorts by it) follows its password slots' last use, as a
// trigger in the database keeps it: the latest of the slots, never moved back.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { parseInput } from '@/lib/errors';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { createScopeMap } from '@/lib/scope-maps/service';
import { createTokenInput } from '@/lib/tokens/schemas';
import { createToken } from '@/lib/tokens/service/create-token';

setupTestDatabase();

let contributor: Actor;
beforeAll(async () => {
  contributor = await createActor('Contributor');
});

describe("a token's last use", () => {
  it('is the latest last use of its password slots, and never moves back', async () => {
    const cloud = await createCloudRegistryFixture(contributor);
    await createScopeMap(contributor, cloud, { name: 'pullmap', actions: ['repositories/app/content/read'] });
    await createToken(contributor, cloud, parseInput(createTokenInput, { name: 'usedtoken', scopeMap: 'pullmap' }));
    const db = getDb();
    const token = await db.token.findFirstOrThrow({ where: { name: 'usedtoken', cloudRegistry: { name: cloud } } });
    expect(token.lastUsedAt).toBeNull();

    const use = (slot: 'password1' | 'password2', at: Date) =>
      db.tokenPassword.updateMany({ where: { tokenId: token.id, slot }, data: { lastUsedAt: at } });
    const lastUsed = async () => (await db.token.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt?.toISOString();

    await use('password1', new Date('2026-11-01T10:00:00Z'));
    expect(await lastUsed()).toBe('2026-11-01T10:00:00.000Z');
    await use('password2', new Date('2026-11-02T10:00:00Z'));
    expect(await lastUsed()).toBe('2026-11-02T10:00:00.000Z');
    // an older use of the other slot does not move it back
    await use('password1', new Date('2026-11-01T12:00:00Z'));
    expect(await lastUsed()).toBe('2026-11-02T10:00:00.000Z');
  });
});
