// Password slots against a real database: regenerating one slot (alone, both at once, and
// concurrently) replaces only its verifier and is shown once; deleting a slot; who may do it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/roles';
import { getDb } from '@/lib/db/client';
import { ForbiddenError, NotFoundError, parseInput } from '@/lib/errors';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import { createActors, rejection } from '@/test/fixtures';
import { createTokenAs, newTokenCloud, tokenAudit, verifiers } from '@/test/token-fixtures';
import { verifyTokenPassword } from './passwords';
import { getToken } from './queries';
import { regeneratePasswordInput } from './schemas';
import { deletePassword } from './service/delete-password';
import { regeneratePassword } from './service/regenerate-passwords';

setupTestDatabase();

let contributor: Actor;
let reader: Actor;
beforeAll(async () => {
  [contributor, reader] = await createActors('Contributor', 'Reader');
});

const newCloud = () => newTokenCloud(contributor);
const create = (cloud: string, input: Record<string, unknown>) => createTokenAs(contributor, cloud, input);

describe('regeneratePassword', () => {
  it('replaces slot 1 only: the old slot-1 value stops verifying, slot 2 keeps its verifier and its value', async () => {
    const cloud = await newCloud();
    const { passwords } = await create(cloud, { name: 'rotating', scopeMap: 'pullmap' });
    const [old1, old2] = passwords;
    const before = await verifiers(cloud, 'rotating');
    const expiry = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

    const fresh = await regeneratePassword(
      contributor,
      cloud,
      'rotating',
      parseInput(regeneratePasswordInput, { name: 'password1', expiry }),
    );
    expect(fresh.name).toBe('password1');
    expect(fresh.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh.value).not.toBe(old1.value);
    expect(fresh.expiry).toBe(expiry);

    const after = await verifiers(cloud, 'rotating');
    expect(after.password2).toBe(before.password2);
    expect(verifyTokenPassword(after.password2, old2.value)).toBe(true);
    expect(after.password1).not.toBe(before.password1);
    expect(verifyTokenPassword(after.password1, old1.value)).toBe(false);
    expect(verifyTokenPassword(after.password1, fresh.value)).toBe(true);

    const token = await getToken(cloud, 'rotating');
    expect(token.passwords.find((p) => p.name === 'password1')).toMatchObject({
      creationTime: fresh.creationTime,
      expiry,
      state: 'expiring',
    });
    expect(token.passwords.find((p) => p.name === 'password2')).toMatchObject({ creationTime: old2.creationTime, expiry: null });

    const events = await tokenAudit(cloud, 'rotating');
    expect(events.map((e) => e.action)).toEqual(['token.create', 'token.password.regenerate']);
    expect(events[1].details).toEqual({ slot: 'password1', expiry });
  });

  it('fills an empty slot of a token created without passwords', async () => {
    const cloud = await newCloud();
    await create(cloud, { name: 'late-pw', scopeMap: 'pullmap', noPasswords: true });
    const fresh = await regeneratePassword(contributor, cloud, 'late-pw', { name: 'password2' });
    const stored = await verifiers(cloud, 'late-pw');
    expect(Object.keys(stored)).toEqual(['password2']);
    expect(verifyTokenPassword(stored.password2, fresh.value)).toBe(true);
  });

  itOnPostgresServer('run concurrently on one slot, ends with exactly one valid new password and two audit events', async () => {
    const cloud = await newCloud();
    const { passwords } = await create(cloud, { name: 'raced-token', scopeMap: 'pullmap' });
    const before = await verifiers(cloud, 'raced-token');

    const results = await Promise.all([
      regeneratePassword(contributor, cloud, 'raced-token', { name: 'password1' }),
      regeneratePassword(contributor, cloud, 'raced-token', { name: 'password1' }),
    ]);
    expect(results[0].value).not.toBe(results[1].value);

    const after = await verifiers(cloud, 'raced-token');
    const valid = results.filter((r) => verifyTokenPassword(after.password1, r.value));
    expect(valid).toHaveLength(1);
    expect(verifyTokenPassword(after.password1, passwords[0].value)).toBe(false);
    // the other slot is untouched
    expect(after.password2).toBe(before.password2);
    expect(await getDb().tokenPassword.count({ where: { token: { cloudRegistry: { name: cloud }, name: 'raced-token' } } })).toBe(2);

    const events = await tokenAudit(cloud, 'raced-token');
    expect(events.filter((e) => e.action === 'token.password.regenerate')).toHaveLength(2);
  });

  it('answers 404 for an unknown token and 403 for a Reader, changing nothing', async () => {
    const cloud = await newCloud();
    const { passwords } = await create(cloud, { name: 'guarded-pw', scopeMap: 'pullmap' });
    expect(await rejection(regeneratePassword(contributor, cloud, 'missing-token', { name: 'password1' }))).toBeInstanceOf(NotFoundError);
    const forbidden = await rejection(regeneratePassword(reader, cloud, 'guarded-pw', { name: 'password1' }));
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(verifyTokenPassword((await verifiers(cloud, 'guarded-pw')).password1, passwords[0].value)).toBe(true);
  });
});

describe('deletePassword', () => {
  it('removes one slot, keeps the other working, and answers 404 for an empty slot', async () => {
    const cloud = await newCloud();
    const { passwords } = await create(cloud, { name: 'slot-delete', scopeMap: 'pullmap' });
    const dto = await deletePassword(contributor, cloud, 'slot-delete', 'password1');
    expect(dto.passwords.map((p) => p.name)).toEqual(['password2']);
    const stored = await verifiers(cloud, 'slot-delete');
    expect(Object.keys(stored)).toEqual(['password2']);
    expect(verifyTokenPassword(stored.password2, passwords[1].value)).toBe(true);

    const again = await rejection(deletePassword(contributor, cloud, 'slot-delete', 'password1'));
    expect(again).toBeInstanceOf(NotFoundError);
    const events = await tokenAudit(cloud, 'slot-delete');
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ['token.create', expect.anything()],
      ['token.password.delete', { slot: 'password1' }],
    ]);
    expect(await rejection(deletePassword(reader, cloud, 'slot-delete', 'password2'))).toBeInstanceOf(ForbiddenError);
    expect(Object.keys(await verifiers(cloud, 'slot-delete'))).toEqual(['password2']);
  });
});
