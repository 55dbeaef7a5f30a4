// Applies the SQL migrations in prisma/migrations and records them in `_prisma_migrations`
// exactly as Prisma Migrate does (same table, same checksum, same advisory lock), so that
// `prisma migrate status|deploy` agree wherever Prisma's native engine is available.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

// The lock key Prisma Migrate itself takes, so our runner and Prisma's exclude each other.
const PRISMA_MIGRATE_LOCK = 72707369;

export type MigrationResult = { applied: string[]; alreadyApplied: number };

export function migrationsDir(root = process.cwd()) {
  return join(root, 'prisma', 'migrations');
}

export function listMigrations(dir: string) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export async function migrate(connectionString: string, dir = migrationsDir()): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum"            VARCHAR(64) NOT NULL,
        "finished_at"         TIMESTAMPTZ,
        "migration_name"      VARCHAR(255) NOT NULL,
        "logs"                TEXT,
        "rolled_back_at"      TIMESTAMPTZ,
        "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      );
      const done = new Map(rows.map((r) => [r.migration_name, r]));
      const applied: string[] = [];
      for (const m of listMigrations(dir)) {
        const previous = done.get(m.name);
        if (previous) {
          if (!previous.finished_at) {
            throw new Error(`Migration ${m.name} started earlier but did not finish; repair the database by hand.`);
          }
          if (previous.checksum !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied (checksum mismatch).`);
          }
          continue;
        }
        const id = randomUUID();
        await client.query('BEGIN');
        try {
          await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
            id,
            m.checksum,
            m.name,
          ]);
          await client.query(m.sql);
          await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`);
        }
        applied.push(m.name);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    await client.end();
  }
}
