import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { AppError, RateLimitedError } from '@/lib/errors';
import type { AdminRole } from '@/lib/generated/prisma/enums';
import { setupTestDatabase } from '@/test/db';
import { hashAdminPassword } from './password';
import { InvalidCredentialsError, SIGN_IN_LIMITS, authenticateAdmin, signInDelayMs, signInLimits } from './sign-in';

setupTestDatabase();

const password = 'correct horse battery staple';

async function makeAdmin(options: { role?: AdminRole; disabled?: boolean } = {}) {
  const email = `admin-${randomUUID().slice(0, 8)}@canopy.test`;
  const admin = await getDb().adminUser.create({
    data: {
      email,
      name: 'Test admin',
      passwordHash: await hashAdminPassword(password),
      role: options.role ?? 'Contributor',
      disabled: options.disabled ?? false,
    },
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

/** failures counted for (account, address) */
async function accountFailures(email: string, address: string) {
  return (await getDb().rateLimitBucket.findUnique({ where: { key: signInLimits(email, address)[1].key } }))?.count ?? 0;
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
    expect(await accountFailures(admin.email, admin.address)).toBe(1);
    const perAddress = await getDb().rateLimitBucket.findUnique({ where: { key: `signin:address:${admin.address}` } });
    expect(perAddress?.count).toBe(1);
  });

  it('refuses an unknown email the same way as a wrong password', async () => {
    const error = await failure(authenticateAdmin('nobody@canopy.test', password, randomUUID(), 'session'));
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.message).toBe('The email or password is wrong.');
  });

  it('after 5 failures from one address refuses that address with 429, even with the right password; the right password from another address gets in', async () => {
    const admin = await makeAdmin({ role: 'Owner' });
    expect(SIGN_IN_LIMITS.perCredentialAddress.max).toBe(5);
    for (let i = 0; i < 5; i++) {
      expect(await failure(authenticateAdmin(admin.email, `wrong ${i}`, admin.address, 'session'))).toBeInstanceOf(InvalidCredentialsError);
    }
    const error = await failure(authenticateAdmin(admin.email, password, admin.address, 'session'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.status).toBe(429);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(SIGN_IN_LIMITS.perCredentialAddress.windowSeconds);
    // the Owner at their own desk is not locked out by the guesser
    const actor = await authenticateAdmin(admin.email, password, `${admin.address}-owner-desk`, 'basic');
    expect(actor.adminId).toBe(admin.id);
  });

  it('slows an address that guesses: the third and later failures wait longer and longer', async () => {
    const admin = await makeAdmin();
    const took: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = performance.now();
      await failure(authenticateAdmin(admin.email, `wrong ${i}`, admin.address, 'basic'));
      took.push(performance.now() - start);
    }
    expect(took[2]).toBeGreaterThanOrEqual(signInDelayMs(2, 2) - 5);
    expect(took[3]).toBeGreaterThanOrEqual(signInDelayMs(3, 3) - 5);
    expect(signInDelayMs(0, 0)).toBe(0);
    expect(signInDelayMs(1, 1)).toBe(0);
    expect(signInDelayMs(2, 2)).toBeGreaterThan(0);
    expect(signInDelayMs(3, 3)).toBeGreaterThan(signInDelayMs(2, 2));
    expect(signInDelayMs(50, 0)).toBeLessThanOrEqual(4000);
    // the address's failures over other accounts count too, at a third
    expect(signInDelayMs(0, 6)).toBe(signInDelayMs(2, 0));
  });

  it('refuses an address that guesses across many accounts once it reaches its own limit', async () => {
    const address = `10.7.0.1-${randomUUID()}`;
    // fill the address's window directly: 30 guesses would take the slow-down's time
    const [perAddress] = signInLimits('any@canopy.test', address);
    await getDb().rateLimitBucket.create({
      data: { key: perAddress.key, count: SIGN_IN_LIMITS.perAddress.max, resetAt: new Date(Date.now() + 60_000) },
    });
    const admin = await makeAdmin();
    const error = await failure(authenticateAdmin(admin.email, password, address, 'session'));
    expect(error).toBeInstanceOf(RateLimitedError);
    // another address is not affected
    expect((await authenticateAdmin(admin.email, password, `${address}-other`, 'session')).adminId).toBe(admin.id);
  });

  it('lets no more than the limit of parallel wrong guesses through to the password check', async () => {
    const admin = await makeAdmin();
    const errors = await Promise.all(
      Array.from({ length: 12 }, (_, i) => failure(authenticateAdmin(admin.email, `guess-${i}`, admin.address, 'basic'))),
    );
    expect(errors.filter((e) => e instanceof InvalidCredentialsError)).toHaveLength(SIGN_IN_LIMITS.perCredentialAddress.max);
    expect(errors.filter((e) => e instanceof RateLimitedError)).toHaveLength(12 - SIGN_IN_LIMITS.perCredentialAddress.max);
  });

  it('clears the account’s failures after a successful sign-in', async () => {
    const admin = await makeAdmin();
    for (let i = 0; i < 4; i++) await failure(authenticateAdmin(admin.email, 'wrong', admin.address, 'session'));
    expect(await accountFailures(admin.email, admin.address)).toBe(4);
    await authenticateAdmin(admin.email, password, admin.address, 'session');
    expect(await accountFailures(admin.email, admin.address)).toBe(0);
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

  it('counts failures per (account, address) whatever the case of the email', async () => {
    const admin = await makeAdmin();
    await failure(authenticateAdmin(admin.email.toUpperCase(), 'wrong', admin.address, 'session'));
    await failure(authenticateAdmin(admin.email, 'wrong', admin.address, 'session'));
    expect(await accountFailures(admin.email, admin.address)).toBe(2);
  });
});
