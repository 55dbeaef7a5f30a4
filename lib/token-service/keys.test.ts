// The start-up warning about signing keys stored unencrypted (scripts/start.ts prints it).
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db/client';
import { setupTestDatabase } from '@/test/db';
import { createActor } from '@/test/fixtures';
import { ensureSigningKey, rotateSigningKey, signingKeyStorageWarning } from './keys';

setupTestDatabase();

describe('signingKeyStorageWarning', () => {
  it('warns in production while a key that signs is stored unencrypted, and says how to fix it', async () => {
    const saved = process.env.CANOPY_SECRET_KEY;
    delete process.env.CANOPY_SECRET_KEY;
    try {
      await ensureSigningKey();
    } finally {
      if (saved !== undefined) process.env.CANOPY_SECRET_KEY = saved;
    }
    expect(await getDb().signingKey.count({ where: { encrypted: false } })).toBeGreaterThan(0);

    expect(await signingKeyStorageWarning({ NODE_ENV: 'production' })).toMatch(/stored unencrypted.*set CANOPY_SECRET_KEY/);
    expect(await signingKeyStorageWarning({ NODE_ENV: 'production', CANOPY_SECRET_KEY: 's3cret' })).toMatch(
      /before CANOPY_SECRET_KEY was set.*rotate/,
    );
    // not in development or tests
    expect(await signingKeyStorageWarning({ NODE_ENV: 'development' })).toBeNull();
    expect(await signingKeyStorageWarning({ NODE_ENV: 'test' })).toBeNull();
  });

  it('is silent once the keys that sign are encrypted (a rotation with CANOPY_SECRET_KEY set)', async () => {
    const saved = process.env.CANOPY_SECRET_KEY;
    process.env.CANOPY_SECRET_KEY = 'test-secret-key';
    try {
      await rotateSigningKey(await createActor('Owner'), 0);
      // the old key's retirement time has come (its access tokens have expired)
      await getDb().signingKey.updateMany({ where: { encrypted: false }, data: { retiredAt: new Date(Date.now() - 1000) } });
      expect(await signingKeyStorageWarning({ NODE_ENV: 'production', CANOPY_SECRET_KEY: 'test-secret-key' })).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.CANOPY_SECRET_KEY;
      else process.env.CANOPY_SECRET_KEY = saved;
    }
  });
});
