// The embedded default database: PostgreSQL compiled to WebAssembly (PGlite), served over the
// Postgres wire protocol on loopback so the app connects to it as to any PostgreSQL server.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { freePort } from '@/lib/free-port';

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

/**
 * PostgreSQL's memory settings inside PGlite. Its WebAssembly memory only grows: every buffer
 * it ever touches stays resident in Canopy's process. PostgreSQL zeroes its shared buffers at
 * start, so the default 128 MB of them cost 128 MB of RSS before the first query (measured:
 * 356 → 227 MB for PGlite alone with 16 MB). The files stay in the operating system's page cache,
 * so a buffer miss costs a read from memory, not from disk: 8 MB of them hold the pages the portal's
 * lists and the token service read (16 MB cost 9 MB more of RSS, with the server at rest 248–257 MB
 * against the target of 250). PGlite is a single PostgreSQL backend (the socket server multiplexes
 * every connection onto its one session), so the shared memory sized for 100 connections (process
 * slots, lock table) is sized for 10. Maintenance work memory (index builds in migrations) is capped
 * for the same reason.
 */
export const EMBEDDED_SETTINGS = [
  'shared_buffers=8MB',
  'max_connections=10',
  'maintenance_work_mem=16MB',
  'temp_buffers=2MB',
  'wal_buffers=1MB',
];

/**
 * WebAssembly compiled by Liftoff, V8's baseline compiler, alone: no tier-up of PostgreSQL's hot
 * functions to TurboFan. TurboFan compiles in memory of its own (V8's zones, malloc'd), freed
 * after but left resident by glibc's malloc: with tier-up, `npm start` on the embedded database
 * held 74 MB in its malloc heap and a second arena of 32–49 MB, 328–351 MB in the app process at
 * rest; without, 13–17 MB and no such arena, 244–252 MB (docs/benchmarks.md, bench:memory). PostgreSQL in
 * PGlite answers point reads as fast (their time is the JavaScript around each query) and scans
 * about a quarter slower; and no compile work competes with requests after start. V8 reads the
 * flag when it compiles a module, so it is set here, before PGlite compiles its own, in the
 * embedded database's process only (a server on PostgreSQL keeps V8's defaults). Prisma's query
 * compiler, WebAssembly too, compiles after it.
 */
export const EMBEDDED_V8_FLAGS = '--liftoff-only';

/** Starts PGlite with its data in `dataDir` (or in memory when null). */
export async function startEmbeddedDatabase(dataDir: string | null, port?: number): Promise<EmbeddedDatabase> {
  setFlagsFromString(EMBEDDED_V8_FLAGS);
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    initializeInChildProcess(dataDir);
  }
  // pg_trgm: the name searches' trigram indexes (prisma/migrations/*_list_sort_indexes)
  const extensions = { pg_trgm };
  const options = { extensions, startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])] };
  const db = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options);
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

/**
 * A new data folder is made (initdb) in a short-lived process of its own: PGlite's initdb leaves
 * hundreds of MB of WebAssembly memory behind that the server would otherwise hold for good
 * (measured: PGlite opened on a new folder 677 MB RSS, on an existing one 231 MB).
 */
function initializeInChildProcess(dataDir: string) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const script = `import { PGlite } from '@electric-sql/pglite'; const db = await PGlite.create(${JSON.stringify(dataDir)}); await db.close(); process.exit(0);`;
  const child = spawnSync(process.execPath, ['--input-type=module', '--eval', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (child.status !== 0)
    throw new Error(`could not create the embedded database in ${dataDir} (initdb exited with ${child.status ?? child.signal})`);
}
