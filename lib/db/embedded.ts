// The embedded default database: PostgreSQL compiled to WebAssembly (PGlite), served over the
// Postgres wire protocol on loopback so the app connects to it as to any PostgreSQL server.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { freePort } from '@/lib/free-port';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

/** Starts PGlite with its data in `dataDir` (or in memory when null). */
export async function startEmbeddedDatabase(dataDir: string | null, port?: number): Promise<EmbeddedDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the name searches' trigram indexes (prisma/migrations/*_list_sort_indexes)
  const extensions = { pg_trgm };
  const db = dataDir ? await PGlite.create(dataDir, { extensions }) : await PGlite.create({ extensions });
  const listenPort = port ?? (await freePort());
  // Several connections are multiplexed onto PGlite's single session; the app uses a pool of
  // one connection (DATABASE_POOL_MAX=1) so that no query waits on another's transaction.
  const server = new PGLiteSocketServer({ db, port: listenPort, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${listenPort}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
