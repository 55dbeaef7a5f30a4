import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { AppError, RateLimitedError } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { setupTestDatabase } from '@/test/db';
import { hashAdminPassword } from './password';
import { InvalidCredentialsError, SIGN_IN_LIMITS, authenticateAdmin } from './sign-in';

setupTestDatabase();

const password = 'correct horse battery staple';

async function makeAdmin(options: { role?: AdminRole; disabled?: boolean } = {}) {
  const email = `admin-${randomUUID().slice(0, 8)}@canopy.test`;
  const admin = await getDb().adminUser.create({
    data: { email, name: 'Test admin', passwordHash: await hashAdminPassword(password), role: options.role ?? 'Contributor', disabled: options.disabled ?? false },
  });
  return { ...admin, address: `10.0.0.${Math.floor(Math.random() * 250)}-${randomUUID()}` };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the sign-in to be refused');
}

async function accountFailures(email: string) {
  return (await getDb().rateLimitBucket.findUnique({ where: { key: `signin:account:${email}` } }))?.count ?? 0;
}

describe('authenticateAdmin', () => {
  it('returns the actor for the right password', async () => {
    const admin = await makeAdmin({ role: 'Owner' });
    const actor = await authenticateAdmin(admin.email, password, admin.address, 'basic');
    expect(actor).toEqual({ adminId: admin.id, email: admin.email, name: 'Test admin', role: 'Owner', via: 'basic' });
  });

  it('records the sign-in time only for portal sessions', async () => {
    const admin = await makeAdmin();
    await authenticateAdmin(admin.email, password, admin.address, 'basic');
    expect((await getDb().adminUser.findUniqueOrThrow({ where: { id: admin.id } })).lastSignInAt).toBeNull();
    await authenticateAdmin(admin.email, password, admin.address, 'session');
    expect((await getDb().adminUser.findUniqueOrThrow({ where: { id: admin.id } })).lastSignInAt).toBeInstanceOf(Date);
  });

  it('refuses a wrong password with InvalidCredentialsError (401) and counts the failure', async () => {
    const admin = await makeAdmin();
    const error = await failure(authenticateAdmin(admin.email, 'wrong password', admin.address, 'session'));
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_credentials');
    expect(await accountFailures(admin.email)).toBe(1);
    const perAddress = await getDb().rateLimitBucket.findUnique({ where: { key: `signin:address:${admin.address}` } });
    expect(perAddress?.count).toBe(1);
  });

  it('refuses an unknown email the same way as a wrong password', async () => {
    const error = await failure(authenticateAdmin('nobody@canopy.test', password, randomUUID(), 'session'));
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.message).toBe('The email or password is wrong.');
  });

  it('refuses the attempt after 5 failures with RateLimitedError (429), even with the right password', async () => {
    const admin = await makeAdmin();
    expect(SIGN_IN_LIMITS.perAccount.max).toBe(5);
    for (let i = 0; i < 5; i++) {
      expect(await failure(authenticateAdmin(admin.email, `wrong ${i}`, admin.address, 'session'))).toBeInstanceOf(InvalidCredentialsError);
    }
    // from another address too: the limit is per account
    const error = await failure(authenticateAdmin(admin.email, password, `${admin.address}-elsewhere`, 'session'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.status).toBe(429);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.perAccount.windowSeconds);
  });

  it('lets no more than the limit of parallel wrong guesses through to the password check', async () => {
    const admin = await makeAdmin();
    const errors = await Promise.all(
      Array.from({ length: 12 }, (_, i) => failure(authenticateAdmin(admin.email, `guess-${i}`, admin.address, 'basic'))),
    );
    expect(errors.filter((e) => e instanceof InvalidCredentialsError)).toHaveLength(SIGN_IN_LIMITS.perAccount.max);
    expect(errors.filter((e) => e instanceof RateLimitedError)).toHaveLength(12 - SIGN_IN_LIMITS.perAccount.max);
  });

  it('clears the account’s failures after a successful sign-in', async () => {
    const admin = await makeAdmin();
    for (let i = 0; i < 4; i++) await failure(authenticateAdmin(admin.email, 'wrong', admin.address, 'session'));
    expect(await accountFailures(admin.email)).toBe(4);
    await authenticateAdmin(admin.email, password, admin.address, 'session');
    expect(await accountFailures(admin.email)).toBe(0);
  });

  it('refuses a disabled admin with code account_disabled', async () => {
    const admin = await makeAdmin({ disabled: true });
    const error = await failure(authenticateAdmin(admin.email, password, admin.address, 'session'));
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('account_disabled');
  });

  it('treats the email case-insensitively and ignores surrounding spaces', async () => {
    const admin = await makeAdmin();
    const actor = await authenticateAdmin(`  ${admin.email.toUpperCase()} `, password, admin.address, 'session');
    expect(actor.adminId).toBe(admin.id);
    expect(actor.email).toBe(admin.email);
  });

  it('counts failures per account whatever the case of the email', async () => {
    const admin = await makeAdmin();
    await failure(authenticateAdmin(admin.email.toUpperCase(), 'wrong', admin.address, 'session'));
    await failure(authenticateAdmin(admin.email, 'wrong', admin.address, 'session'));
    expect(await accountFailures(admin.email)).toBe(2);
  });
});
