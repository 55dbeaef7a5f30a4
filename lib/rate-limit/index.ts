// Fixed-window failure counters kept in PostgreSQL, so a limit holds across restarts and
// across several app instances. Only failures are counted: successful clients never wait.
import { getDb } from '@/lib/db/client';
import { RateLimitedError } from '@/lib/errors';

export type Limit = { key: string; max: number; windowSeconds: number };

type Bucket = { count: number; resetAt: Date };

/** Throws RateLimitedError when any of the limits has already reached its maximum. */
export async function assertNotLimited(limits: Limit[], now = new Date()): Promise<void> {
  const rows = await getDb().rateLimitBucket.findMany({ where: { key: { in: limits.map((l) => l.key) } } });
  let retryAfter = 0;
  for (const limit of limits) {
    const row = rows.find((r) => r.key === limit.key);
    if (row && row.resetAt > now && row.count >= limit.max) {
      retryAfter = Math.max(retryAfter, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000));
    }
  }
  if (retryAfter > 0) throw new RateLimitedError(retryAfter);
}

/** Counts one failure against each limit, atomically. */
export async function recordFailure(limits: Limit[]): Promise<void> {
  await recordFailureAndCheck(limits);
}

export async function clearLimit(key: string): Promise<void> {
  await getDb().rateLimitBucket.deleteMany({ where: { key } });
}

/** Forgets windows that have ended (called now and then, not on a hot path). */
export async function pruneExpiredBuckets(): Promise<number> {
  const { count } = await getDb().rateLimitBucket.deleteMany({ where: { resetAt: { lt: new Date() } } });
  return count;
}

/**
 * Counts one failure against each limit and returns the seconds to wait when any limit is now
 * exceeded (0 otherwise). For hot paths that check nothing before succeeding.
 */
export async function recordFailureAndCheck(limits: Limit[]): Promise<number> {
  const db = getDb();
  let retryAfter = 0;
  for (const limit of limits) {
    const [row] = await db.$queryRaw<Bucket[]>`
      INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
      VALUES (${limit.key}, 1, now() + make_interval(secs => ${limit.windowSeconds}))
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
        "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now()
          THEN now() + make_interval(secs => ${limit.windowSeconds}) ELSE "RateLimitBucket"."resetAt" END
      RETURNING "count", "resetAt"`;
    if (row && row.count > limit.max) {
      retryAfter = Math.max(retryAfter, Math.ceil((new Date(row.resetAt).getTime() - Date.now()) / 1000));
    }
  }
  return Math.max(retryAfter, 0);
}

/** Takes back one counted attempt (a success that was counted up front). */
export async function forgiveAttempt(key: string): Promise<void> {
  await getDb().$executeRaw`UPDATE "RateLimitBucket" SET "count" = GREATEST("count" - 1, 0) WHERE "key" = ${key}`;
}
