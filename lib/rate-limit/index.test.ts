import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/lib/db/client';
import { RateLimitedError } from '@/lib/errors';
import { itOnPostgresServer, setupTestDatabase } from '@/test/db';
import {
  assertNotLimited,
  clearLimit,
  credentialLimits,
  PRUNE_INTERVAL_MS,
  pruneExpiredBuckets,
  recordFailure,
  storedKey,
  type Limit,
} from './index';

setupTestDatabase();

const limit = (max = 3, windowSeconds = 60): Limit => ({ key: `test:${randomUUID()}`, max, windowSeconds });

async function countOf(key: string) {
  return (await getDb().rateLimitBucket.findUnique({ where: { key } }))?.count ?? 0;
}

async function limitedError(limits: Limit[]): Promise<RateLimitedError | undefined> {
  try {
    await assertNotLimited(limits);
    return undefined;
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
}

describe('rate limits', () => {
  it('let requests through while failures stay under the maximum', async () => {
    const l = limit(3);
    await assertNotLimited([l]);
    await recordFailure([l]);
    await recordFailure([l]);
    await expect(assertNotLimited([l])).resolves.toBeUndefined();
    expect(await countOf(l.key)).toBe(2);
  });

  it('refuse with RateLimitedError once `max` failures were counted, with a retry time inside the window', async () => {
    const l = limit(3, 60);
    for (let i = 0; i < 3; i++) await recordFailure([l]);
    const error = await limitedError([l]);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error!.status).toBe(429);
    expect(error!.retryAfterSeconds).toBeGreaterThan(0);
    expect(error!.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('keep keys apart: another key is not affected', async () => {
    const limited = limit(2);
    const other = limit(2);
    await recordFailure([limited]);
    await recordFailure([limited]);
    await expect(assertNotLimited([limited])).rejects.toBeInstanceOf(RateLimitedError);
    await expect(assertNotLimited([other])).resolves.toBeUndefined();
    // any one limit reached refuses a check of several
    await expect(assertNotLimited([other, limited])).rejects.toBeInstanceOf(RateLimitedError);
  });

  itOnPostgresServer('count concurrent failures exactly', async () => {
    const l = limit(100);
    await Promise.all(Array.from({ length: 10 }, () => recordFailure([l])));
    expect(await countOf(l.key)).toBe(10);
  });

  it('restart the count at 1 when the window has ended', async () => {
    const l = limit(3, 60);
    for (let i = 0; i < 3; i++) await recordFailure([l]);
    await expect(assertNotLimited([l])).rejects.toBeInstanceOf(RateLimitedError);

    await getDb().rateLimitBucket.update({ where: { key: l.key }, data: { resetAt: new Date(Date.now() - 1000) } });
    // an ended window does not refuse, even before a new failure resets it
    await expect(assertNotLimited([l])).resolves.toBeUndefined();

    await recordFailure([l]);
    const bucket = await getDb().rateLimitBucket.findUniqueOrThrow({ where: { key: l.key } });
    expect(bucket.count).toBe(1);
    expect(bucket.resetAt.getTime()).toBeGreaterThan(Date.now());
    expect(bucket.resetAt.getTime()).toBeLessThanOrEqual(Date.now() + 61_000);
  });

  it('clearLimit forgets the failures of one key only', async () => {
    const a = limit(2);
    const b = limit(2);
    for (const l of [a, a, b, b]) await recordFailure([l]);
    await clearLimit(a.key);
    await expect(assertNotLimited([a])).resolves.toBeUndefined();
    expect(await countOf(a.key)).toBe(0);
    await expect(assertNotLimited([b])).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('pruneExpiredBuckets deletes only windows that have ended', async () => {
    const ended = limit();
    const current = limit();
    await recordFailure([ended, current]);
    await getDb().rateLimitBucket.update({ where: { key: ended.key }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect(await pruneExpiredBuckets()).toBeGreaterThanOrEqual(1);
    expect(await countOf(ended.key)).toBe(0);
    expect(await countOf(current.key)).toBe(1);
  });

  describe('pruning', () => {
    afterEach(() => vi.useRealTimers());

    async function endedBucket() {
      const key = `test:ended:${randomUUID()}`;
      // by the database's clock (the test moves the process's clock ahead)
      await getDb().$executeRaw`INSERT INTO "RateLimitBucket" ("key", "count", "resetAt") VALUES (${key}, 3, now() - interval '1 minute')`;
      return key;
    }

    it('counting failures deletes the windows that have ended, at most once per interval', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + PRUNE_INTERVAL_MS + 1000);
      const first = await endedBucket();
      const current = limit();
      await recordFailure([current]);
      expect(await countOf(first)).toBe(0);
      expect(await countOf(current.key)).toBe(1);

      // within the interval, no second prune: failures stay cheap under a flood
      const second = await endedBucket();
      await recordFailure([limit()]);
      expect(await countOf(second)).toBe(3);

      vi.setSystemTime(Date.now() + PRUNE_INTERVAL_MS + 1000);
      await recordFailure([limit()]);
      expect(await countOf(second)).toBe(0);
      expect(await countOf(current.key)).toBe(1);
    });
  });

  it('stores long keys and keys with characters PostgreSQL refuses as their SHA-256, so any input can be counted', async () => {
    const long = { key: `test:${'x'.repeat(7000)}`, max: 3, windowSeconds: 60 };
    const nul = { key: 'test:a\u0000b', max: 3, windowSeconds: 60 };
    await recordFailure([long, nul]);
    await recordFailure([long]);
    expect(await countOf(storedKey(long.key))).toBe(2);
    expect(await countOf(storedKey(nul.key))).toBe(1);
    expect(storedKey(long.key)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(storedKey('token:address:10.0.0.1')).toBe('token:address:10.0.0.1');
  });

  it('credentialLimits counts per address and per (credential, address), whatever the case of the credential', () => {
    const windows = { perCredentialAddress: { max: 10, windowSeconds: 300 }, perAddress: { max: 30, windowSeconds: 300 } };
    const [address, pair] = credentialLimits('token', 'Edge01-Sync-Token', '10.0.0.1', windows);
    expect(address).toEqual({ key: 'token:address:10.0.0.1', max: 30, windowSeconds: 300 });
    expect(pair.max).toBe(10);
    expect(credentialLimits('token', 'edge01-sync-token', '10.0.0.1', windows)[1].key).toBe(pair.key);
    expect(credentialLimits('token', 'edge01-sync-token', '10.0.0.2', windows)[1].key).not.toBe(pair.key);
    expect(credentialLimits('token', null, '10.0.0.1', windows)).toEqual([address]);
  });
});
