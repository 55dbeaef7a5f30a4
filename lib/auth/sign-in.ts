// Checking an admin's email and password, for the sign-in form and for HTTP Basic on
// POST /api/v1/access-tokens. Failures are rate limited per account and per client address.
import { getDb } from '@/lib/db/client';
import { AppError, RateLimitedError } from '@/lib/errors';
import { clearLimit, forgiveAttempt, recordFailureAndCheck, type Limit } from '@/lib/rate-limit';
import { dummyAdminHash, verifyAdminPassword } from './password';
import type { Actor } from './roles';

export const SIGN_IN_LIMITS = {
  perAccount: { max: 5, windowSeconds: 15 * 60 },
  perAddress: { max: 30, windowSeconds: 15 * 60 },
};

export class InvalidCredentialsError extends AppError {
  constructor(message = 'The email or password is wrong.', code = 'invalid_credentials') {
    super(401, code, message);
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function signInLimits(email: string, address: string): Limit[] {
  return [
    { key: `signin:account:${normalizeEmail(email)}`, ...SIGN_IN_LIMITS.perAccount },
    { key: `signin:address:${address}`, ...SIGN_IN_LIMITS.perAddress },
  ];
}

export async function authenticateAdmin(
  email: string,
  password: string,
  address: string,
  via: Actor['via'],
): Promise<Actor> {
  const limits = signInLimits(email, address);
  // Count the attempt before checking the password, so that parallel guesses cannot all pass
  // the check before any of them is counted; a success takes its count back.
  const wait = await recordFailureAndCheck(limits);
  if (wait > 0) throw new RateLimitedError(wait);
  const admin = await getDb().adminUser.findUnique({
    where: { email: normalizeEmail(email) },
    omit: { passwordHash: false },
  });
  const ok = await verifyAdminPassword(admin?.passwordHash ?? (await dummyAdminHash()), password);
  if (!admin || !ok) throw new InvalidCredentialsError();
  if (admin.disabled) throw new InvalidCredentialsError('This account is disabled. Ask an Owner to enable it.', 'account_disabled');
  await clearLimit(limits[0].key);
  await forgiveAttempt(limits[1].key);
  if (via === 'session') {
    await getDb().adminUser.update({ where: { id: admin.id }, data: { lastSignInAt: new Date() } });
  }
  return { adminId: admin.id, email: admin.email, name: admin.name, role: admin.role, via };
}
