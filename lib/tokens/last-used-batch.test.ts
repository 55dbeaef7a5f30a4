// "Last used" is written in batches: thousands of registries authenticating at once (the gateway's
// long polls all ask again after a change) must not send one UPDATE each — with a pool of 10
// connections those queued for longer than the pool's 15 s wait, and the requests behind them
// (rebuilds of the polls, webhook detectors, admin changes) failed with "timeout exceeded when
// trying to connect" (seen with 2,000 polls in `npm run bench:gateway`).
import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { createScopeMap } from '@/lib/scope-maps/service';
import { createToken } from '@/lib/tokens/service/create-token';
import { setupTestDatabase } from '@/test/db';
import { createActor, createCloudRegistryFixture } from '@/test/fixtures';
import { noteSlotUsed } from './last-used';

setupTestDatabase();
const TOKENS = 24;
let ids: string[] = [];

beforeAll(async () => {
  const actor: Actor = await createActor('Owner');
  const cloud = await createCloudRegistryFixture(actor, 'tailspin');
  await createScopeMap(actor, cloud, { name: 'pullmap', actions: ['repositories/app/content/read'] });
  for (let i = 0; i < TOKENS; i++) {
    await createToken(actor, cloud, { name: `kiosk${i}`, scopeMap: 'pullmap', status: 'enabled', noPasswords: false });
  }
  ids = (await getDb().token.findMany({ where: { name: { startsWith: 'kiosk' } }, select: { id: true } })).map((t) => t.id);
});

describe('last use of many slots at once', () => {
  it('is written for every slot in a couple of statements, never an UPDATE per use, and never moves a time back', async () => {
    expect(ids).toHaveLength(TOKENS);
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    const at = Date.now();
    for (const id of ids) noteSlotUsed(id, 'password1', at, 'test');
    const db = getDb();
    const written = async () => db.tokenPassword.count({ where: { tokenId: { in: ids }, slot: 'password1', lastUsedAt: new Date(at) } });
    const deadline = Date.now() + 10_000;
    while ((await written()) < TOKENS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const updates = spy.mock.calls.filter((c) =>
      /UPDATE\s+("public"\.)?"TokenPassword"/.test(String((c[0] as { text?: string })?.text ?? c[0])),
    );
    spy.mockRestore();
    expect(await written()).toBe(TOKENS);
    // the first use is written at once, the others that arrived meanwhile together after it
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(await db.tokenPassword.count({ where: { tokenId: { in: ids }, slot: 'password2', lastUsedAt: { not: null } } })).toBe(0);

    // an older use (written late) leaves a newer time where it finds one
    const later = new Date(at + 60_000);
    await db.tokenPassword.updateMany({ where: { tokenId: ids[0], slot: 'password2' }, data: { lastUsedAt: later } });
    noteSlotUsed(ids[0], 'password2', at, 'test');
    noteSlotUsed(ids[1], 'password2', at, 'test');
    const second = () => db.tokenPassword.findFirstOrThrow({ where: { tokenId: ids[1], slot: 'password2' } });
    while (!(await second()).lastUsedAt && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 50));
    expect((await second()).lastUsedAt).toEqual(new Date(at));
    expect((await db.tokenPassword.findFirstOrThrow({ where: { tokenId: ids[0], slot: 'password2' } })).lastUsedAt).toEqual(later);
  });
});
