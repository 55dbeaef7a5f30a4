import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '@/lib/api/pagination';
import type { Actor } from '@/lib/auth/roles';
import { transaction } from '@/lib/db/client';
import { ValidationError } from '@/lib/errors';
import { setupTestDatabase } from '@/test/db';
import { auditQuery } from './schemas';
import { listAuditEvents } from './queries';
import { recordAudit } from './record';

setupTestDatabase();

const alice: Actor = {
  adminId: '00000000-0000-4000-8000-000000000001',
  email: 'alice@canopy.test',
  name: 'Alice',
  role: 'Owner',
  via: 'session',
};
const bob: Actor = {
  adminId: '00000000-0000-4000-8000-000000000002',
  email: 'bob@canopy.test',
  name: 'Bob',
  role: 'Contributor',
  via: 'access-token',
};

// 7 events, recorded one after the other (ids increase in this order)
const recorded = [
  { actor: alice, action: 'admin.create', targetType: 'admin', targetName: 'bob@canopy.test' },
  { actor: bob, action: 'accessToken.create', targetType: 'accessToken', targetName: 'ci' },
  { actor: alice, action: 'accessToken.create', targetType: 'accessToken', targetName: 'laptop' },
  { actor: bob, action: 'accessToken.revoke', targetType: 'accessToken', targetName: 'ci' },
  { actor: 'system' as const, action: 'admin.bootstrap', targetType: 'admin', targetName: 'alice@canopy.test' },
  { actor: alice, action: 'admin.update', targetType: 'admin', targetName: 'bob@canopy.test' },
  { actor: bob, action: 'accessToken.create', targetType: 'accessToken', targetName: 'Deploy-Bot' },
];

beforeAll(async () => {
  for (const [n, { actor, ...event }] of recorded.entries()) {
    await transaction((tx) => recordAudit(tx, actor, { ...event, details: { n } }));
  }
});

const query = (input: Record<string, unknown> = {}) => listAuditEvents(auditQuery.parse(input));
const newestFirst = [...recorded].reverse();

describe('listAuditEvents', () => {
  it('returns the events newest first, as DTOs', async () => {
    const page = await query();
    expect(page.items.map((e) => [e.action, e.targetName])).toEqual(newestFirst.map((e) => [e.action, e.targetName]));
    expect(page.next).toBeNull();
    const ids = page.items.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    const [newest] = page.items;
    expect(newest).toEqual({
      id: expect.stringMatching(/^\d+$/),
      time: expect.any(String),
      actor: 'bob@canopy.test',
      action: 'accessToken.create',
      targetType: 'accessToken',
      targetName: 'Deploy-Bot',
      registry: null,
      details: { n: 6 },
      requestId: null,
    });
    expect(Date.parse(newest.time)).not.toBeNaN();
  });

  it('filters by actor (a case-insensitive part of the name)', async () => {
    const page = await query({ actor: 'BOB' });
    expect(page.items.map((e) => e.actor)).toEqual(['bob@canopy.test', 'bob@canopy.test', 'bob@canopy.test']);
    expect((await query({ actor: 'system' })).items.map((e) => e.action)).toEqual(['admin.bootstrap']);
  });

  it('filters by action prefix', async () => {
    const page = await query({ action: 'accessToken.' });
    expect(page.items.map((e) => `${e.action} ${e.targetName}`)).toEqual([
      'accessToken.create Deploy-Bot',
      'accessToken.revoke ci',
      'accessToken.create laptop',
      'accessToken.create ci',
    ]);
    expect((await query({ action: 'admin.update' })).items).toHaveLength(1);
    // a prefix, not a substring
    expect((await query({ action: 'create' })).items).toHaveLength(0);
  });

  it('filters by target (a case-insensitive part of the name), combined with the other filters', async () => {
    expect((await query({ target: 'deploy' })).items.map((e) => e.targetName)).toEqual(['Deploy-Bot']);
    expect((await query({ target: 'ci', actor: 'bob' })).items.map((e) => e.action)).toEqual(['accessToken.revoke', 'accessToken.create']);
    expect((await query({ target: 'ci', actor: 'alice' })).items).toEqual([]);
  });

  it('pages with the `next` cursor across 3 pages without overlap or gap', async () => {
    const first = await query({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.next).toEqual(expect.any(String));
    const second = await query({ limit: 3, cursor: first.next });
    expect(second.items).toHaveLength(3);
    expect(second.next).toEqual(expect.any(String));
    const third = await query({ limit: 3, cursor: second.next });
    expect(third.items).toHaveLength(1);
    expect(third.next).toBeNull();

    const ids = [...first.items, ...second.items, ...third.items].map((e) => e.id);
    expect(new Set(ids).size).toBe(recorded.length);
    expect(ids).toEqual((await query()).items.map((e) => e.id));
  });

  it('pages through a filtered list with the same filter', async () => {
    const first = await query({ action: 'accessToken.', limit: 2 });
    const second = await query({ action: 'accessToken.', limit: 2, cursor: first.next });
    expect([...first.items, ...second.items].map((e) => e.targetName)).toEqual(['Deploy-Bot', 'ci', 'laptop', 'ci']);
    expect(second.next).toBeNull();
  });

  it('gives no `next` when the last page is exactly full', async () => {
    const page = await query({ limit: recorded.length });
    expect(page.items).toHaveLength(recorded.length);
    expect(page.next).toBeNull();
  });

  it('refuses a cursor it did not give out with a ValidationError on the cursor field', async () => {
    for (const cursor of [
      'garbage!!',
      encodeCursor({ id: 'abc' }),
      encodeCursor({ id: '9'.repeat(30) }),
      encodeCursor({ other: 1 }),
      Buffer.from('not json').toString('base64url'),
    ]) {
      const error = await query({ cursor }).catch((e: unknown) => e);
      expect(error, cursor).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual([{ field: 'cursor', message: 'The cursor is not one this API gave out.' }]);
    }
  });

  it('rejects a limit outside 1..200 when the query is parsed', () => {
    expect(auditQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(auditQuery.safeParse({ limit: '201' }).success).toBe(false);
    expect(auditQuery.parse({ limit: '25' }).limit).toBe(25);
    expect(auditQuery.parse({}).limit).toBe(50);
  });
});

describe('filters match their text literally', () => {
  it('a filter of % or _ matches only names that contain that character, not everything', async () => {
    expect((await query({ actor: '%' })).items).toEqual([]);
    expect((await query({ target: '_' })).items).toEqual([]);
    expect((await query({ action: '%' })).items).toEqual([]);
    expect((await query({ action: 'access_oken' })).items).toEqual([]);
    expect((await query({ target: '\\' })).items).toEqual([]);
    // an ordinary filter still works
    expect((await query({ target: 'deploy' })).items.map((e) => e.targetName)).toEqual(['Deploy-Bot']);
  });
});
