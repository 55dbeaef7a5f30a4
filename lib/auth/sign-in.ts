// Checking an admin's email and password, for the sign-in form and for HTTP Basic on
// POST /api/v1/access-tokens. Failures are counted per (account, client address) and per client
// address, never per account alone: a guesser elsewhere must not lock an admin (an Owner, say)
// out. An address that guesses is slowed down, then refused.
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { getDb } from '@/lib/db/client';
import { isAcceptableText } from '@/lib/text';
import { AppError, RateLimitedError, type ErrorCode } from '@/lib/errors';
import { clearLimit, credentialLimits, forgiveAttempt, recordFailures, type Limit } from '@/lib/rate-limit';
import { dummyAdminHash, verifyAdminPassword } from './password';
import type { Actor } from './roles';

export const SIGN_IN_LIMITS = {
  perCredentialAddress: { max: 5, windowSeconds: 15 * 60 },
  perAddress: { max: 30, windowSeconds: 15 * 60 },
};

/**
 * How long a failed attempt waits before it is answered, given the failures already counted in
 * the window for its (account, address) and for its address: nothing for the first two, then
 * 0.5 s, 1 s, 2 s, up to 4 s. An address's failures weigh a third as much (several people behind
 * one address mistype too).
 */
export function signInDelayMs(accountAddressFailures: number, addressFailures: number): number {
  const failures = Math.max(accountAddressFailures, Math.floor(addressFailures / 3));
  return failures < 2 ? 0 : Math.min(4000, 500 * 2 ** (failures - 2));
}

export class InvalidCredentialsError extends AppError {
  constructor(message = 'The email or password is wrong.', code: ErrorCode = 'invalid_credentials') {
    super(401, code, message);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** [per address, per (account, address)] */
export function signInLimits(email: string, address: string): Limit[] {
  return credentialLimits('signin', normalizeEmail(email), address, SIGN_IN_LIMITS);
}

export async function authenticateAdmin(email: string, password: string, address: string, via: Actor['via']): Promise<Actor> {
  const limits = signInLimits(email, address);
  // Count the attempt before checking the password, so that parallel guesses cannot all pass
  // the check before any of them is counted; a success takes its count back.
  const [perAddress, perPair] = await recordFailures(limits);
  const wait = Math.max(perAddress.retryAfter, perPair.retryAfter);
  if (wait > 0) throw new RateLimitedError(wait);
  // a failure is answered late, the later the more this address has failed: a right password
  // (a colleague's behind the same address, say) is not slowed
  const fail = async (): Promise<never> => {
    const delay = signInDelayMs(perPair.count - 1, perAddress.count - 1);
    if (delay > 0) await sleep(delay);
    throw new InvalidCredentialsError();
  };
  // an email or password no admin can have (a NUL byte, control characters, too long) is simply wrong
  if (!isAcceptableText(email, 254) || !isAcceptableText(password, 1024)) return fail();
  const admin = await getDb().adminUser.findUnique({
    where: { email: normalizeEmail(email) },
    omit: { passwordHash: false },
  });
  const ok = await verifyAdminPassword(admin?.passwordHash ?? (await dummyAdminHash()), password);
  if (!admin || !ok) return fail();
  if (admin.disabled) throw new InvalidCredentialsError('This account is disabled. Ask an Owner to enable it.', 'account_disabled');
  await clearLimit(perPair.limit.key);
  await forgiveAttempt(perAddress.limit.key);
  if (via === 'session') {
    await getDb().adminUser.update({ where: { id: admin.id }, data: { lastSignInAt: new Date() } });
  }
  return { adminId: admin.id, email: admin.email, name: admin.name, role: admin.role, via };
}
