// Databases for integration tests: each test file gets a database of its own. With
// TEST_DATABASE_URL (or DATABASE_URL) naming a PostgreSQL server, a fresh database is created
// there and dropped afterwards; without, an in-memory PGlite is served on loopback.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, it, type TestFunction } from 'vitest';
import { startEmbeddedDatabase } from '@/lib/db/embedded';
import { listMigrations, migrate, migrationsDir } from '@/lib/db/migrate';
import { dropDatabase } from './drop-database.mjs';

export type ScratchDatabase = { url: string; embedded: boolean; drop: () => Promise<void> };

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** Whether the integration tests run on a PostgreSQL server rather than the embedded PGlite. */
export const onPostgresServer = Boolean(serverUrl);

/**
 * A test that only means something on a PostgreSQL server: a race between transactions, or two
 * app instances. The embedded database is one session in this process: concurrent calls take
 * turns there, so the race never happens and the test would prove nothing. On it the test is
 * skipped, and its name says why.
 */
export function itOnPostgresServer(name: string, fn: TestFunction, timeout?: number) {
  const shown = onPostgresServer
    ? name
    : `${name} (skipped: needs a PostgreSQL server; the embedded database runs one transaction at a time)`;
  return it.skipIf(!onPostgresServer)(shown, fn, timeout);
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  if (!serverUrl) {
    const db = await startEmbeddedDatabase(null);
    return { url: db.url, embedded: true, drop: db.stop };
  }
  const name = `canopy_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    drop: () => dropDatabase(serverUrl, name),
  };
}

/**
 * Gives the calling test file a migrated database of its own and points the app's Prisma
 * client (lib/db/client.ts) at it.
 */
export function setupTestDatabase(): { url: () => string } {
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    await migrate(scratch.url);
    process.env.DATABASE_URL = scratch.url;
    process.env.DATABASE_POOL_MAX = scratch.embedded ? '1' : '5';
    process.env.CANOPY_EMBEDDED = scratch.embedded ? '1' : '0';
  }, 60_000);
  afterAll(async () => {
    const { disconnectDb } = await import('@/lib/db/client');
    await disconnectDb();
    await scratch?.drop();
  }, 60_000);
  return { url: () => scratch!.url };
}

/**
 * Applies the migrations that come before the one whose name ends with `suffix` (and not that
 * one): a database as an older Canopy left it, for testing what a migration does to its rows.
 */
export async function migrateBefore(url: string, suffix: string): Promise<void> {
  const all = listMigrations(migrationsDir());
  const index = all.findIndex((m) => m.name.endsWith(suffix));
  if (index < 0) throw new Error(`No migration ends with ${suffix}.`);
  const dir = mkdtempSync(join(tmpdir(), 'canopy-migrations-'));
  try {
    for (const m of all.slice(0, index)) cpSync(join(migrationsDir(), m.name), join(dir, m.name), { recursive: true });
    cpSync(join(migrationsDir(), 'migration_lock.toml'), join(dir, 'migration_lock.toml'));
    await migrate(url, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
