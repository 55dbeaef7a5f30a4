import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, itOnPostgresServer, type ScratchDatabase } from '@/test/db';
import { schemaSnapshot } from '@/test/schema-snapshot';
import { listMigrations, migrate, migrationsDir } from './migrate';

const scratches: ScratchDatabase[] = [];
async function scratch() {
  const db = await createScratchDatabase();
  scratches.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(scratches.map((s) => s.drop()));
});

// async, never execFileSync: the embedded test database is served from this very process
async function run_([cmd, ...args]: string[], databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 240_000,
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}

async function rows<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('migration runner', () => {
  it('records each migration in _prisma_migrations as Prisma does, with the SHA-256 of the file', async () => {
    const db = await scratch();
    const result = await migrate(db.url);
    const files = listMigrations(migrationsDir());
    expect(result.applied).toEqual(files.map((f) => f.name));
    const recorded = await rows<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      db.url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, r] of recorded.entries()) {
      expect(r.checksum).toBe(createHash('sha256').update(files[i].sql).digest('hex'));
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
    expect((await migrate(db.url)).applied).toEqual([]);
  });

  // Two processes, as two app instances would be. (The embedded database lives inside one
  // process and is one session, so there is no second instance to exclude there.)
  itOnPostgresServer(
    'applies each migration once when two instances start at the same moment',
    async () => {
      const db = await scratch();
      const run = () => run_(['node', '--import', './scripts/register.mjs', 'scripts/migrate.ts'], db.url);
      const [a, b] = await Promise.all([run(), run()]);
      const applied = [a, b].filter((out) => out.includes('applied:'));
      expect(applied).toHaveLength(1);
      const count = await rows<{ n: string }>(db.url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
      expect(Number(count[0].n)).toBe(listMigrations(migrationsDir()).length);
    },
    60_000,
  );

  it('refuses a migration that was edited after it was applied', async () => {
    const db = await scratch();
    await migrate(db.url);
    await rows(db.url, `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
    await expect(migrate(db.url)).rejects.toThrow(/checksum mismatch/);
  });
});

/** Indexes schema.prisma cannot describe: on expressions (names ignore case: lower(name)), NULLS FIRST, trigram GIN, GIN options. */
const HAND_WRITTEN_INDEXES = [
  'CloudRegistry_lower_name_key',
  'ConnectedRegistry_cloudRegistryId_lower_name_key',
  'ScopeMap_cloudRegistryId_lower_name_key',
  'Token_cloudRegistryId_lower_name_key',
  'WebhookEndpoint_cloudRegistryId_lower_name_key',
  // list sorts with NULLS FIRST, and the trigram indexes of the name searches (list_sort_indexes)
  'ConnectedRegistry_cloudRegistryId_lastActivityTime_name_idx',
  'Token_cloudRegistryId_lastUsedAt_name_idx',
  'ConnectedRegistry_name_trgm_idx',
  'ScopeMap_name_trgm_idx',
  'Token_name_trgm_idx',
  // a registry's ancestors, without a pending list (ancestor_ids)
  'ConnectedRegistry_ancestorIds_idx',
];

describe('schema drift', () => {
  it('the migrations produce exactly the schema that prisma/schema.prisma describes', async () => {
    const fromMigrations = await scratch();
    await migrate(fromMigrations.url);

    const fromSchema = await scratch();
    // Prisma's own SQL for the current schema.prisma, written by its schema engine
    const sql = await run_(['node', 'scripts/migration-sql.mjs', '--from-empty'], fromSchema.url);
    expect(sql).toContain('CREATE TABLE');
    await rows(fromSchema.url, sql);

    const [expected, migrated] = await Promise.all([schemaSnapshot(fromSchema.url), schemaSnapshot(fromMigrations.url)]);
    expect(migrated.columns.length).toBeGreaterThan(20);
    // what Prisma cannot express is written by hand in the migrations: it must be there, and
    // everything else must be exactly what schema.prisma describes
    const handWritten = migrated.indexes.filter((i) => HAND_WRITTEN_INDEXES.some((name) => i.includes(` | ${name} | `)));
    expect(handWritten).toHaveLength(HAND_WRITTEN_INDEXES.length);
    const actual = { ...migrated, indexes: migrated.indexes.filter((i) => !handWritten.includes(i)) };
    expect(actual).toEqual(expected);
  }, 300_000);
});
