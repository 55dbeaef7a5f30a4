// Fixed-window failure counters kept in PostgreSQL, so a limit holds across restarts and
// across several app instances. Only failures are counted: successful clients never wait.
import 'server-only';
import { createHash } from 'node:crypto';
import { getDb } from '@/lib/db/client';
import { answeringFromMemory, noteDatabaseFailure } from '@/lib/db/outage';
import { RateLimitedError } from '@/lib/errors';

export type Limit = { key: string; max: number; windowSeconds: number };
export type Window = { max: number; windowSeconds: number };

/** The key of an address's own limit in `credentialLimits` (its first), without making the list. */
export function addressLimitKey(scope: string, address: string): string {
  return `${scope}:address:${address}`;
}

/**
 * The limits of one credential check. Failures are counted per (credential, address) and per
 * address, never per credential alone: a credential's limit reached by one address must not
 * lock out its owner on another (token and sync-token names are predictable, admin emails are
 * known). The address's limit comes first.
 */
export function credentialLimits(
  scope: string,
  credential: string | null,
  address: string,
  windows: { perCredentialAddress: Window; perAddress: Window },
): Limit[] {
  const limits: Limit[] = [{ key: addressLimitKey(scope, address), ...windows.perAddress }];
  if (credential !== null) {
    limits.push({ key: `${scope}:pair:${credential.trim().toLowerCase()}|${address}`, ...windows.perCredentialAddress });
  }
  return limits;
}

/**
 * A key as stored: a long key (a 7,000-character user name) or one with characters other than
 * printable ASCII (NUL, say, which PostgreSQL refuses) becomes its SHA-256, so no input can
 * overflow the index or fail the query.
 */
export function storedKey(key: string): string {
  return /^[\x20-\x7e]{1,200}$/.test(key) ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

type Bucket = { count: number; resetAt: Date };

/** Throws RateLimitedError when any of the limits has already reached its maximum. */
export async function assertNotLimited(limits: Limit[], now = new Date()): Promise<void> {
  const rows = await getDb().rateLimitBucket.findMany({ where: { key: { in: limits.map((l) => storedKey(l.key)) } } });
  let retryAfter = 0;
  for (const limit of limits) {
    const row = rows.find((r) => r.key === storedKey(limit.key));
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
  await getDb().rateLimitBucket.deleteMany({ where: { key: storedKey(key) } });
}

/** Forgets windows that have ended. */
export async function pruneExpiredBuckets(): Promise<number> {
  lastPruneAt = Date.now();
  // the database's clock, as the windows themselves use
  return getDb().$executeRaw`DELETE FROM "RateLimitBucket" WHERE "resetAt" < now()`;
}

/** How often counting a failure also deletes the windows that have ended (in this process). */
export const PRUNE_INTERVAL_MS = 10 * 60_000;
let lastPruneAt = 0;

/** Prunes ended windows when the last prune is older than PRUNE_INTERVAL_MS; one caller at a time does it. */
export async function pruneExpiredBucketsNowAndThen(now = Date.now()): Promise<void> {
  if (now - lastPruneAt < PRUNE_INTERVAL_MS) return;
  lastPruneAt = now;
  try {
    await pruneExpiredBuckets();
  } catch (error) {
    console.error('rate limits: pruning ended windows failed', error);
  }
}

export type FailureCount = { limit: Limit; count: number; retryAfter: number };

/**
 * Counts one failure against each limit, atomically, and returns each limit's count in its
 * window with the seconds to wait when that limit is now exceeded (0 otherwise).
 */
export async function recordFailures(limits: Limit[]): Promise<FailureCount[]> {
  const db = getDb();
  const counts: FailureCount[] = [];
  for (const limit of limits) {
    if (answeringFromMemory()) {
      counts.push(countInMemory(limit));
      continue;
    }
    let row: Bucket | undefined;
    try {
      [row] = await db.$queryRaw<Bucket[]>`
      INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
      VALUES (${storedKey(limit.key)}, 1, now() + make_interval(secs => ${limit.windowSeconds}))
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
        "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now()
          THEN now() + make_interval(secs => ${limit.windowSeconds}) ELSE "RateLimitBucket"."resetAt" END
      RETURNING "count", "resetAt"`;
    } catch (error) {
      if (!noteDatabaseFailure(error)) throw error;
      counts.push(countInMemory(limit));
      continue;
    }
    const count = row?.count ?? 0;
    const retryAfter = row && count > limit.max ? Math.max(1, Math.ceil((new Date(row.resetAt).getTime() - Date.now()) / 1000)) : 0;
    counts.push({ limit, count, retryAfter });
  }
  if (!answeringFromMemory()) await pruneExpiredBucketsNowAndThen();
  return counts;
}

// While the database cannot be reached, failures are counted here, per process, in the same
// fixed windows: a guesser is still slowed and refused during an outage.
const inMemory = new Map<string, { count: number; resetAt: number }>();
function countInMemory(limit: Limit, now = Date.now()): FailureCount {
  if (inMemory.size > 50_000) for (const [k, b] of inMemory) if (b.resetAt <= now) inMemory.delete(k);
  let bucket = inMemory.get(limit.key);
  if (!bucket || bucket.resetAt <= now) inMemory.set(limit.key, (bucket = { count: 0, resetAt: now + limit.windowSeconds * 1000 }));
  bucket.count += 1;
  const retryAfter = bucket.count > limit.max ? Math.max(1, Math.ceil((bucket.resetAt - now) / 1000)) : 0;
  return { limit, count: bucket.count, retryAfter };
}

/**
 * Counts one failure against each limit and returns the seconds to wait when any limit is now
 * exceeded (0 otherwise). For hot paths that check nothing before succeeding.
 */
export async function recordFailureAndCheck(limits: Limit[]): Promise<number> {
  return Math.max(0, ...(await recordFailures(limits)).map((c) => c.retryAfter));
}

/** Takes back one counted attempt (a success that was counted up front). */
export async function forgiveAttempt(key: string): Promise<void> {
  await getDb().$executeRaw`UPDATE "RateLimitBucket" SET "count" = GREATEST("count" - 1, 0) WHERE "key" = ${storedKey(key)}`;
}
